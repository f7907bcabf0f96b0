use lofty::file::TaggedFileExt;
#[test]
fn dump() {
    for p in std::env::var("DUMP").unwrap().split(',') {
        let f = lofty::read_from_path(p).unwrap();
        println!("== {p} {:?}", f.file_type());
        for t in f.tags() {
            println!(" tag {:?}", t.tag_type());
            for i in t.items() { println!("   {:?} = {:?}", i.key(), i.value()); }
        }
    }
}
