//! A seekable view of an audio file for the scanner's readers.
//!
//! Tag parsers seek and read in small pieces: through a plain `File` every piece is a system call,
//! and through a `BufReader` every seek throws the buffer away. A `FileView` reads the head of the
//! file (where most tags and headers live) once, keeps one more window wherever the parser goes
//! next, and serves seeks without any system call. Large reads (cover art) go straight to the file.
//!
//! The length is fixed when the view is opened, so a file that grows while it is read cannot make
//! a parser run on.

use std::cmp::min;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};

/// Bytes read up front: whole small files, and the tag area of most others.
const HEAD: usize = 32 * 1024;
/// Size of the roaming window; reads at least this large bypass it.
const WINDOW: usize = 32 * 1024;

/// Positioned reads: `buf` is filled from `pos` as far as the source allows.
pub trait ReadAt {
    /// Reads into `buf` from `pos`; fewer bytes than asked only at the end of the data.
    ///
    /// # Errors
    /// When the underlying read fails.
    fn read_at(&mut self, buf: &mut [u8], pos: u64) -> io::Result<usize>;
}

impl ReadAt for File {
    fn read_at(&mut self, buf: &mut [u8], pos: u64) -> io::Result<usize> {
        pread_full(self, buf, pos)
    }
}

/// A file with its head cached; implements `Read`, `Seek` and `ReadAt`.
pub struct FileView<'f> {
    file: &'f File,
    len: u64,
    head: Vec<u8>,
    window: Vec<u8>,
    window_at: u64,
    pos: u64,
}

impl<'f> FileView<'f> {
    /// Opens a view of `file` and reads its head.
    ///
    /// # Errors
    /// When the file's length or head cannot be read.
    pub fn new(file: &'f File) -> io::Result<Self> {
        let len = file.metadata()?.len();
        let mut head = vec![0; usize::try_from(len).map_or(HEAD, |l| min(l, HEAD))];
        let got = pread_full(file, &mut head, 0)?;
        head.truncate(got);
        Ok(FileView {
            file,
            len,
            head,
            window: Vec::new(),
            window_at: 0,
            pos: 0,
        })
    }

    /// The length of the file when the view was opened.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Copies from the cached bytes when `pos` lies in them; `None` when it does not.
    fn cached(&self, buf: &mut [u8], pos: u64) -> Option<usize> {
        let from = |data: &[u8], start: u64, buf: &mut [u8]| {
            let off = usize::try_from(pos.checked_sub(start)?).ok()?;
            let avail = data.get(off..).filter(|rest| !rest.is_empty())?;
            let n = min(avail.len(), buf.len());
            buf[..n].copy_from_slice(&avail[..n]);
            Some(n)
        };
        from(&self.head, 0, buf).or_else(|| from(&self.window, self.window_at, buf))
    }

    /// Reads at `pos` with the length clamp, the caches, and the window refill policy.
    fn read_clamped(&mut self, buf: &mut [u8], pos: u64, fill_window: bool) -> io::Result<usize> {
        if pos >= self.len || buf.is_empty() {
            return Ok(0);
        }
        let want = usize::try_from(self.len - pos).map_or(buf.len(), |left| min(left, buf.len()));
        let buf = &mut buf[..want];
        let mut filled = 0;
        while filled < want {
            let at = pos + filled as u64;
            if let Some(n) = self.cached(&mut buf[filled..], at) {
                filled += n;
                continue;
            }
            let rest = &mut buf[filled..];
            if !fill_window || rest.len() >= WINDOW {
                return Ok(filled + pread_full(self.file, rest, at)?);
            }
            let size = usize::try_from(self.len - at).map_or(WINDOW, |left| min(left, WINDOW));
            self.window.resize(size, 0);
            let got = pread_full(self.file, &mut self.window, at)?;
            self.window.truncate(got);
            self.window_at = at;
            if got == 0 {
                break; // the file shrank underneath us
            }
        }
        Ok(filled)
    }
}

impl Read for FileView<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.read_clamped(buf, self.pos, true)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for FileView<'_> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        match target {
            Some(p) => {
                self.pos = p;
                Ok(p)
            }
            None => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek to a negative or overflowing position",
            )),
        }
    }

    fn stream_position(&mut self) -> io::Result<u64> {
        Ok(self.pos)
    }
}

impl ReadAt for FileView<'_> {
    /// Sampling reads (content identity) use the caches but do not move the window.
    fn read_at(&mut self, buf: &mut [u8], pos: u64) -> io::Result<usize> {
        self.read_clamped(buf, pos, false)
    }
}

/// Fills `buf` from `pos` until it is full or the file ends.
fn pread_full(file: &File, buf: &mut [u8], pos: u64) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match pread(file, &mut buf[filled..], pos + filled as u64) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

#[cfg(unix)]
fn pread(file: &File, buf: &mut [u8], pos: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, pos)
}

#[cfg(windows)]
fn pread(file: &File, buf: &mut [u8], pos: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, pos)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file_with(len: usize) -> (tempfile::NamedTempFile, Vec<u8>) {
        let data: Vec<u8> = (0..len).map(|i| (i * 7 + i / 251) as u8).collect();
        let mut f = tempfile::NamedTempFile::new().expect("temp file");
        f.write_all(&data).expect("write");
        f.flush().expect("flush");
        (f, data)
    }

    #[test]
    fn reads_and_seeks_like_the_file_itself() {
        let (tmp, data) = file_with(HEAD * 3 + 1234);
        let file = tmp.reopen().expect("reopen");
        let mut view = FileView::new(&file).expect("view");
        assert_eq!(view.len(), data.len() as u64);
        // Small reads across the head, the window and the end, in the order a parser goes.
        let plan: &[(u64, usize)] = &[
            (0, 10),
            (HEAD as u64 - 4, 8),
            (HEAD as u64 + 100, 4),
            (50, 3),
            (data.len() as u64 - 128, 128),
            (data.len() as u64 - 5, 100),
            (HEAD as u64 * 2 - 1, WINDOW * 2),
        ];
        for &(at, n) in plan {
            view.seek(SeekFrom::Start(at)).expect("seek");
            let mut got = vec![0; n];
            let mut filled = 0;
            loop {
                let k = view.read(&mut got[filled..]).expect("read");
                if k == 0 {
                    break;
                }
                filled += k;
            }
            let end = min(data.len(), at as usize + n);
            assert_eq!(&got[..filled], &data[at as usize..end], "read {n} at {at}");
            assert_eq!(view.stream_position().expect("pos"), end as u64);
        }
        let mut buf = [0u8; 16];
        assert_eq!(
            view.read_at(&mut buf, data.len() as u64 + 10)
                .expect("past end"),
            0
        );
        assert_eq!(
            view.seek(SeekFrom::End(-4)).expect("seek end"),
            data.len() as u64 - 4
        );
        assert!(view.seek(SeekFrom::Current(-(data.len() as i64))).is_err());
    }

    #[test]
    fn a_file_that_grows_is_read_only_to_its_opening_length() {
        let (mut tmp, data) = file_with(1000);
        let file = tmp.reopen().expect("reopen");
        let mut view = FileView::new(&file).expect("view");
        tmp.write_all(&[1u8; 5000]).expect("grow");
        tmp.flush().expect("flush");
        let mut all = Vec::new();
        view.read_to_end(&mut all).expect("read");
        assert_eq!(all, data);
    }

    #[test]
    fn an_empty_file_reads_nothing() {
        let (tmp, _) = file_with(0);
        let file = tmp.reopen().expect("reopen");
        let mut view = FileView::new(&file).expect("view");
        assert_eq!(view.len(), 0);
        let mut buf = [0u8; 4];
        assert_eq!(view.read(&mut buf).expect("read"), 0);
    }
}
