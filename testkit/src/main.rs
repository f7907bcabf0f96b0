fn main() -> anyhow::Result<()> {
    let scan = cuebook_testkit::scan_corpus(std::path::Path::new(&std::env::args().nth(1).unwrap()))?;
    for s in &scan.sources { println!("OK\t{}\t{}\t{:.2}\t{}", s.format, s.path, s.duration.as_secs_f64(), s.audio_bytes); }
    for r in &scan.rejected { println!("NO\t{}\t{}", r.path, r.reason); }
    Ok(())
}
