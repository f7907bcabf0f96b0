//! Word lists and the rules that turn them into plausible soundtrack metadata: work and
//! album titles, composers in several scripts, performers, labels, catalog numbers, cue and
//! song titles. Everything is drawn from an [`Rng`], so it is deterministic per seed.

use crate::reference::WorkKind;
use crate::rng::Rng;

const ADJECTIVES: &[&str] = &[
    "Silent",
    "Broken",
    "Crimson",
    "Last",
    "Hidden",
    "Eternal",
    "Frozen",
    "Golden",
    "Lost",
    "Dark",
    "Burning",
    "Distant",
    "Fallen",
    "Iron",
    "Midnight",
    "Endless",
    "Savage",
    "Secret",
    "Shattered",
    "Hollow",
    "Wild",
    "Northern",
    "Electric",
    "Quiet",
    "Scarlet",
    "Forgotten",
    "Infinite",
    "Restless",
    "Sunken",
    "Bitter",
    "Velvet",
    "Black",
    "White",
    "Blue",
    "Red",
    "Emerald",
    "Violent",
    "Gentle",
    "Haunted",
    "Lonely",
    "Glass",
    "Paper",
    "Stolen",
    "Sacred",
    "Neon",
    "Final",
    "First",
    "Lunar",
    "Solar",
    "Phantom",
    "Perfect",
    "Brave",
    "Cold",
    "Little",
    "Great",
    "Strange",
    "Wandering",
    "Falling",
    "Rising",
    "Invisible",
];

const NOUNS: &[&str] = &[
    "Horizon",
    "Kingdom",
    "Frontier",
    "River",
    "Empire",
    "Garden",
    "Storm",
    "Island",
    "Shadow",
    "Ocean",
    "Mountain",
    "City",
    "Station",
    "Harbor",
    "Forest",
    "Desert",
    "Orbit",
    "Crown",
    "Legacy",
    "Promise",
    "Winter",
    "Summer",
    "Signal",
    "Voyage",
    "Lighthouse",
    "Machine",
    "Cathedral",
    "Dragon",
    "Wolf",
    "Raven",
    "Serpent",
    "Knight",
    "Pilgrim",
    "Stranger",
    "Witness",
    "Hunter",
    "Prophet",
    "Orchard",
    "Labyrinth",
    "Citadel",
    "Archive",
    "Compass",
    "Mirror",
    "Lantern",
    "Tide",
    "Ember",
    "Echo",
    "Meridian",
    "Canyon",
    "Glacier",
    "Valley",
    "Heart",
    "Crossing",
    "Bridge",
    "Tower",
    "Dream",
    "Memory",
    "Requiem",
    "Odyssey",
    "Paradise",
    "Exodus",
    "Sanctuary",
    "Outpost",
    "Colony",
    "Nebula",
    "Comet",
    "Atlas",
    "Monsoon",
    "Carnival",
    "Circus",
    "Masquerade",
    "Reckoning",
    "Covenant",
    "Uprising",
    "Gambit",
    "Heist",
];

const SUBTITLE_NOUNS: &[&str] = &[
    "Rebellion",
    "Awakening",
    "Return",
    "Revenge",
    "Reckoning",
    "Dawn",
    "Fall",
    "Rise",
    "Homecoming",
    "Resurrection",
    "Origins",
    "Legacy",
    "Ascension",
    "Redemption",
    "Exile",
    "Genesis",
    "Last Stand",
    "Lost Tapes",
    "New Blood",
    "Final Chapter",
];

const SEQUELS: &[&str] = &[
    " II", " III", " IV", " Part 2", " Part II", " 2", " 3", " Returns",
];

/// Album title patterns by kind; `{}` is the work title.
const FILM_ALBUMS: &[(&str, u32)] = &[
    ("{} (Original Motion Picture Soundtrack)", 30),
    ("{} (Original Motion Picture Score)", 12),
    ("{}: Original Score", 8),
    ("{} (Music from the Motion Picture)", 10),
    ("Music from the Motion Picture {}", 5),
    ("{} Original Soundtrack", 8),
    ("{} (Soundtrack from the Motion Picture)", 5),
    ("{} (Original Score)", 8),
    ("{} (Complete Original Motion Picture Soundtrack)", 4),
    ("{}", 6),
];
const GAME_ALBUMS: &[(&str, u32)] = &[
    ("{} (Original Video Game Soundtrack)", 35),
    ("{} Original Soundtrack", 30),
    ("{} (Original Game Soundtrack)", 15),
    ("{}: Original Sound Version", 8),
    ("{} Arrangement Album", 5),
    ("{}", 7),
];
const TV_ALBUMS: &[(&str, u32)] = &[
    ("{} (Music from the Original TV Series)", 30),
    ("{} (Original Television Soundtrack)", 25),
    ("{}: Season 1 (Original Series Soundtrack)", 15),
    ("{} (Original Soundtrack)", 20),
    ("{}", 10),
];

/// Album title patterns for compilations of songs, by kind.
const FILM_SONG_ALBUMS: &[(&str, u32)] = &[
    ("{} (Music from the Motion Picture)", 35),
    ("{} (Original Motion Picture Soundtrack)", 35),
    ("Music from the Motion Picture {}", 10),
    ("{} (Songs from the Motion Picture)", 10),
    ("{}", 10),
];
const GAME_SONG_ALBUMS: &[(&str, u32)] = &[
    ("{} (Original Video Game Soundtrack)", 40),
    ("{} (Music from the Video Game)", 30),
    ("{} Original Soundtrack", 30),
];
const TV_SONG_ALBUMS: &[(&str, u32)] = &[
    ("{} (Music from the Original TV Series)", 50),
    ("{} (Music from the Television Series)", 30),
    ("{}: Songs from the Series", 20),
];

const EDITIONS: &[&str] = &[
    "Expanded Edition",
    "Deluxe Edition",
    "Remastered",
    "Complete Score",
    "25th Anniversary Edition",
    "Limited Edition (3000 copies)",
    "Limited Edition (1500 copies)",
    "Limited Edition (5000 copies)",
    "Original Soundtrack Recording, Remastered",
    "Collector's Edition",
];

const LATIN_FIRST: &[&str] = &[
    "John",
    "Hans",
    "Ennio",
    "Jerry",
    "Bernard",
    "Thomas",
    "Alexandre",
    "Howard",
    "Michael",
    "Danny",
    "Rachel",
    "Hildur",
    "Jóhann",
    "Mica",
    "Ludwig",
    "Clint",
    "Cliff",
    "Carter",
    "Alan",
    "Elliot",
    "Gabriel",
    "Dario",
    "Philip",
    "Austin",
    "Yann",
    "Zbigniew",
    "Wojciech",
    "Ólafur",
    "Björn",
    "Søren",
    "Ramin",
    "Germaine",
    "Anne",
    "Nicholas",
    "Harry",
    "Marco",
    "Bear",
    "Kris",
    "Lena",
    "Sofia",
    "Inés",
    "Joël",
    "François",
    "Émilie",
    "Agnès",
    "Zoë",
    "Mateus",
    "João",
    "Antonín",
    "Tomasz",
    "Małgorzata",
    "Łukasz",
    "Jürgen",
    "Günther",
    "Renée",
    "Beatriz",
    "Nuno",
    "Andrés",
    "Ángel",
    "Iñaki",
    "Pål",
    "Åsa",
    "Sigrún",
    "Ilse",
];

const LATIN_LAST: &[&str] = &[
    "Williams",
    "Zimmer",
    "Morricone",
    "Goldsmith",
    "Herrmann",
    "Newman",
    "Desplat",
    "Shore",
    "Giacchino",
    "Elfman",
    "Portman",
    "Guðnadóttir",
    "Jóhannsson",
    "Levi",
    "Göransson",
    "Mansell",
    "Martinez",
    "Burwell",
    "Silvestri",
    "Goldenthal",
    "Yared",
    "Marianelli",
    "Glass",
    "Wintory",
    "Tiersen",
    "Preisner",
    "Kilar",
    "Arnalds",
    "Frahm",
    "Djawadi",
    "Franke",
    "Barbieri",
    "Britell",
    "Gregson-Williams",
    "Beltrami",
    "McCreary",
    "Balfe",
    "Müller",
    "Sørensen",
    "Løvland",
    "Ångström",
    "Núñez",
    "Peña",
    "Gonçalves",
    "Čapek",
    "Dvořáková",
    "Wójcik",
    "Kowalski",
    "Schäfer",
    "Böhm",
    "Fauré",
    "Lefèvre",
    "Delerue",
    "Sarde",
    "Cosma",
    "Legrand",
    "Piovani",
    "Rota",
    "Bacalov",
    "Iglesias",
    "Arriagada",
];

const JAPANESE_FAMILY: &[&str] = &[
    "植松", "久石", "菅野", "坂本", "光田", "下村", "近藤", "岩崎", "澤野", "梶浦", "佐藤", "鈴木",
    "高橋", "田中", "渡辺", "伊藤", "山本", "中村", "小林", "加藤",
];
const JAPANESE_GIVEN: &[&str] = &[
    "伸夫",
    "譲",
    "よう子",
    "龍一",
    "康成",
    "陽子",
    "浩二",
    "琢磨",
    "弘之",
    "由記",
    "健",
    "大輔",
    "直樹",
    "真理子",
    "美香",
    "翔",
    "さくら",
    "あゆみ",
];
const CYRILLIC_FIRST: &[&str] = &[
    "Алексей",
    "Мария",
    "Дмитрий",
    "Ольга",
    "Сергей",
    "Анна",
    "Эдуард",
    "Михаил",
    "Елена",
];
const CYRILLIC_LAST: &[&str] = &[
    "Артемьев",
    "Иванова",
    "Петров",
    "Шнитке",
    "Губайдулина",
    "Рыбников",
    "Крылатов",
    "Дашкевич",
    "Смирнова",
];
const KOREAN_FAMILY: &[&str] = &["김", "이", "박", "정", "조", "최"];
const KOREAN_GIVEN: &[&str] = &["민수", "지훈", "서연", "현우", "수진", "영욱", "준호"];
const GREEK_NAMES: &[&str] = &[
    "Ευάγγελος Παπαθανασίου",
    "Ελένη Καραΐνδρου",
    "Μίκης Θεοδωράκης",
    "Σταύρος Ξαρχάκος",
    "Μάνος Χατζιδάκις",
];

const ORCHESTRAS: &[&str] = &[
    "London Symphony Orchestra",
    "City of Prague Philharmonic Orchestra",
    "Hollywood Studio Symphony",
    "Royal Philharmonic Orchestra",
    "Budapest Film Orchestra",
    "Tokyo Philharmonic Orchestra",
    "Orchestre National de Lyon",
    "Seattle Symphony",
];

const LABELS: &[&str] = &[
    "Varèse Sarabande",
    "Milan Records",
    "Lakeshore Records",
    "La-La Land Records",
    "Intrada",
    "Silva Screen Records",
    "WaterTower Music",
    "Sony Classical",
    "Decca",
    "Hollywood Records",
    "Walt Disney Records",
    "Back Lot Music",
    "Mondo",
    "Invada Records",
    "Node Records",
    "Deutsche Grammophon",
    "Nonesuch",
    "Mute",
    "Sacred Bones",
    "Death Waltz Recording Co.",
    "Quartet Records",
    "Kritzerland",
    "Film Score Monthly",
    "GDM Music",
    "Beat Records",
    "Cinevox",
    "CAM Sugar",
    "Universal Music Japan",
    "Square Enix Music",
    "DigiCube",
    "Sumthing Else Music Works",
    "Materia Collective",
    "Laced Records",
    "iam8bit",
    "Data Discs",
    "Brave Wave",
    "Black Screen Records",
    "Ship to Shore PhonoCo.",
    "Waxwork Records",
    "Spacelab9",
    "Enjoy The Ride Records",
    "Relapse Records",
    "Sony Music",
    "Columbia",
    "Atlantic Records",
    "Interscope",
    "Capitol Records",
    "Warner Records",
    "EMI",
    "Virgin Records",
    "Polydor",
    "Island Records",
    "XL Recordings",
    "Warp Records",
    "Ninja Tune",
    "Erased Tapes",
    "Editions Mego",
    "Touch",
    "Mercury KX",
    "1631 Recordings",
];

const CUE_TITLES: &[&str] = &[
    "Main Title",
    "End Credits",
    "Prologue",
    "Epilogue",
    "Opening",
    "Finale",
    "The Chase",
    "Arrival",
    "Departure",
    "Reunion",
    "The Escape",
    "Into the Night",
    "First Light",
    "The Funeral",
    "Love Theme",
    "Suite",
    "Overture",
    "Interlude",
    "The Battle",
    "Aftermath",
    "The Letter",
    "Night Drive",
    "Homecoming",
    "Ambush",
    "Revelation",
    "Farewell",
    "The Storm",
    "Nocturne",
    "Lullaby",
    "Waltz",
    "March",
    "Elegy",
    "Flashback",
    "Showdown",
    "The Discovery",
    "Training",
    "Betrayal",
    "Sacrifice",
    "Victory",
    "The Long Road",
];

const SONG_WORDS: &[&str] = &[
    "Love", "Night", "Heart", "Fire", "Dance", "Rain", "Stars", "Home", "Gold", "Summer", "Dream",
    "Tonight", "Forever", "Highway", "Radio", "Angel", "Midnight", "Paradise", "Thunder", "Ocean",
    "Diamonds", "Lights", "Shadows", "Roses", "Wings",
];
const SONG_PATTERNS: &[&str] = &[
    "{a} {n}",
    "My {n}",
    "{n} of {m}",
    "Don't Stop the {n}",
    "Take Me {h}",
    "{n}",
    "Under the {n}",
    "{a} {n} (Reprise)",
    "Another {n}",
    "When the {n} Falls",
    "{n} (Remastered)",
    "Everybody Wants {n}",
    "{n}, {m} & Me",
];
const HOMEWARDS: &[&str] = &["Home", "Away", "Higher", "Back", "There", "Anywhere"];

const BAND_PATTERNS: &[&str] = &[
    "The {n}s",
    "{a} {n}",
    "{n} Club",
    "The {a} {n}s",
    "{f} & the {n}s",
    "{f} {l}",
    "{f} {l}",
    "{f} {l}",
    "DJ {n}",
    "{n} Collective",
    "{a} Youth",
];

/// A random entry of a word list.
fn word(rng: &mut Rng, list: &[&'static str]) -> &'static str {
    rng.pick::<&'static str>(list)
}

/// A title such as "The Silent Horizon", "Iron Kingdom II" or "Nebula: Origins".
pub(crate) fn work_title(rng: &mut Rng) -> String {
    let mut title = match rng.below(5) {
        0 => format!("The {} {}", word(rng, ADJECTIVES), word(rng, NOUNS)),
        1 => format!("{} {}", word(rng, ADJECTIVES), word(rng, NOUNS)),
        2 => format!("{} of the {}", word(rng, NOUNS), word(rng, NOUNS)),
        3 => format!("The {}", word(rng, NOUNS)),
        _ => word(rng, NOUNS).to_string(),
    };
    if rng.chance(12) {
        title.push_str(word(rng, SEQUELS));
    }
    if rng.chance(15) {
        title = format!("{title}: {}", word(rng, SUBTITLE_NOUNS));
    }
    title
}

/// An album title for `work` with a suffix typical of `kind`, and of song compilations
/// when `songs` is set.
pub(crate) fn album_title(rng: &mut Rng, work: &str, kind: WorkKind, songs: bool) -> String {
    let patterns = match (kind, songs) {
        (WorkKind::Film, false) => FILM_ALBUMS,
        (WorkKind::Game, false) => GAME_ALBUMS,
        (WorkKind::Tv, false) => TV_ALBUMS,
        (WorkKind::Film, true) => FILM_SONG_ALBUMS,
        (WorkKind::Game, true) => GAME_SONG_ALBUMS,
        (WorkKind::Tv, true) => TV_SONG_ALBUMS,
    };
    rng.pick_weighted(patterns).replacen("{}", work, 1)
}

/// A soundtrack re-release remark, such as "Expanded Edition".
pub(crate) fn edition(rng: &mut Rng) -> String {
    word(rng, EDITIONS).to_string()
}

/// About `count` distinct person names, mostly Latin script (many accented), some
/// Japanese, Cyrillic, Korean and Greek.
pub(crate) fn people(rng: &mut Rng, count: usize) -> Vec<String> {
    let mut names = Vec::with_capacity(count);
    let mut seen = std::collections::HashSet::new();
    // Bounded so that small word lists cannot make this loop forever.
    for _ in 0..count * 20 {
        if names.len() == count {
            break;
        }
        let name = match rng.below(100) {
            0..=74 => format!("{} {}", word(rng, LATIN_FIRST), word(rng, LATIN_LAST)),
            75..=86 => format!(
                "{}{}",
                word(rng, JAPANESE_FAMILY),
                word(rng, JAPANESE_GIVEN)
            ),
            87..=93 => format!("{} {}", word(rng, CYRILLIC_FIRST), word(rng, CYRILLIC_LAST)),
            94..=97 => format!("{}{}", word(rng, KOREAN_FAMILY), word(rng, KOREAN_GIVEN)),
            _ => word(rng, GREEK_NAMES).to_string(),
        };
        if seen.insert(name.clone()) {
            names.push(name);
        }
    }
    names
}

/// An orchestra credited next to a composer.
pub(crate) fn orchestra(rng: &mut Rng) -> &'static str {
    word(rng, ORCHESTRAS)
}

/// A record label.
pub(crate) fn label(rng: &mut Rng) -> &'static str {
    word(rng, LABELS)
}

/// A catalog number in the style of `label`'s initials: "VSD-5234", "LLLCD 1123", "SQEX-10045".
pub(crate) fn catalog_number(rng: &mut Rng, label: &str) -> String {
    let initials: String = label
        .split_whitespace()
        .filter_map(|word| word.chars().find(char::is_ascii_alphanumeric))
        .map(|c| c.to_ascii_uppercase())
        .take(4)
        .collect();
    let prefix = if initials.len() < 2 {
        format!("{initials}CD")
    } else {
        initials
    };
    match rng.below(4) {
        0 => format!("{prefix}-{}", rng.range(1000, 9999)),
        1 => format!("{prefix}CD {}", rng.range(1000, 1999)),
        2 => format!("{prefix}-{}", rng.range(10000, 99999)),
        _ => format!("{prefix} {}", rng.range(100, 999)),
    }
}

/// A score cue title, sometimes with a cue-sheet number ("3M2 The Chase") or a part.
pub(crate) fn cue_title(rng: &mut Rng) -> String {
    let base = match rng.below(4) {
        0 => format!("{} {}", word(rng, ADJECTIVES), word(rng, NOUNS)),
        1 => format!("{}'s Theme", word(rng, NOUNS)),
        _ => word(rng, CUE_TITLES).to_string(),
    };
    match rng.below(10) {
        0 => format!("{}M{} {base}", rng.range(1, 14), rng.range(1, 9)),
        1 => format!("{base}, Part {}", rng.range(1, 3)),
        2 => format!("{base} (Alternate)"),
        3 => format!("{base} / {}", word(rng, CUE_TITLES)),
        _ => base,
    }
}

/// A song title for compilation albums.
pub(crate) fn song_title(rng: &mut Rng) -> String {
    word(rng, SONG_PATTERNS)
        .replace("{a}", word(rng, ADJECTIVES))
        .replace("{n}", word(rng, SONG_WORDS))
        .replace("{m}", word(rng, SONG_WORDS))
        .replace("{h}", word(rng, HOMEWARDS))
}

/// A band or singer for compilation tracks.
pub(crate) fn performer(rng: &mut Rng) -> String {
    word(rng, BAND_PATTERNS)
        .replace("{a}", word(rng, ADJECTIVES))
        .replace("{n}", word(rng, NOUNS))
        .replace("{f}", word(rng, LATIN_FIRST))
        .replace("{l}", word(rng, LATIN_LAST))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_about_sixty_labels_and_three_hundred_composers() {
        assert!(
            (55..=65).contains(&LABELS.len()),
            "the benchmark wants about 60 labels, has {}",
            LABELS.len()
        );
        let names = people(&mut Rng::new(1), 300);
        assert_eq!(names.len(), 300, "the name lists allow 300 distinct people");
        assert!(
            names.iter().any(|n| !n.is_ascii()) && names.iter().any(|n| n.is_ascii()),
            "names mix plain ASCII with accents and other scripts"
        );
    }

    #[test]
    fn album_titles_keep_the_work_title() {
        let mut rng = Rng::new(5);
        for _ in 0..100 {
            let work = work_title(&mut rng);
            let songs = rng.chance(50);
            let album = album_title(&mut rng, &work, WorkKind::Game, songs);
            assert!(
                album.contains(&work),
                "{album:?} must name its work {work:?}"
            );
        }
    }

    #[test]
    fn catalog_numbers_start_with_the_label_initials() {
        let number = catalog_number(&mut Rng::new(2), "Varèse Sarabande");
        assert!(number.starts_with("VS"), "{number} should start with VS");
    }
}
