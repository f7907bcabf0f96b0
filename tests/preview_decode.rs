mod common;

use std::time::Instant;
use cuebook::preview::{decode, Frames};
use cuebook::text::path_from_bytes;

#[test]
fn explore() {
    let Some(corpus) = common::corpus("explore") else { return };
    let dir = tempfile::tempdir().unwrap();
    let lib = common::library(dir.path(), &[&corpus]);
    common::scan(&lib);
    let conn = lib.reader().unwrap();
    let mut stmt = conn.prepare("SELECT path, format, codec, duration_ms FROM tracks ORDER BY path").unwrap();
    let rows: Vec<(Vec<u8>, String, Option<String>, Option<i64>)> = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).unwrap().map(Result::unwrap).collect();
    for (path, format, codec, dur) in rows {
        let path = path_from_bytes(&path);
        let t = Instant::now();
        let rel = path.strip_prefix(&corpus).unwrap().display().to_string();
        match decode::open(&path, &format) {
            Err(e) => println!("{rel}\t{format}/{codec:?}\tOPEN ERR {e}"),
            Ok(mut f) => {
                let ch = f.channels() as usize; let mut frames = 0u64; let mut peak = 0f32; let mut err = None;
                loop { match f.next_block() { Ok(Some(b)) => { frames += (b.len() / ch) as u64; for s in b { peak = peak.max(s.abs()); } } Ok(None) => break, Err(e) => { err = Some(e); break } } }
                let ms = frames * 1000 / f.sample_rate() as u64;
                println!("{rel}\t{format}/{codec:?}\t{}ch {}Hz dur={:?} cat={dur:?} decoded={ms} peak={peak:.3} err={err:?} t={:?}", f.channels(), f.sample_rate(), f.duration().map(|d| d.as_millis()), t.elapsed());
            }
        }
    }
}


#[test]
fn dbgx() {
    use symphonia::core::formats::FormatReader;
    let f = std::fs::File::open("target/corpus/mutagen/ep7.m4b").unwrap();
    let mss = symphonia::core::io::MediaSourceStream::new(Box::new(f), Default::default());
    let mut r = symphonia::default::formats::IsoMp4Reader::try_new(mss, &Default::default()).unwrap();
    for t in r.tracks() { println!("{} {:?}", t.id, t.codec_params); }
    let mut dec = symphonia::default::get_codecs().make(&r.tracks()[0].codec_params, &Default::default());
    println!("make: {:?}", dec.as_ref().err());
    let mut dec = dec.unwrap();
    for _ in 0..5 { match r.next_packet() { Ok(p) => { let d = dec.decode(&p).map(|b| b.frames()); println!("track {} ts={} dur={} len={} -> {:?}", p.track_id(), p.ts, p.dur, p.buf().len(), d.map_err(|e| e.to_string())); } Err(e) => { println!("end {e}"); break } } }
}
