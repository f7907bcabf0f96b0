//! The desktop shell: Tauri commands that each call one function of the `cuebook` core, the
//! `cover:` protocol, the player's events, and the OS media keys.
//!
//! Invariants: commands hold no logic beyond argument plumbing (the core owns behaviour); every
//! command that touches the disk is async so the window never freezes; state holds cheap handles
//! only (the `Library` is two paths and connections are opened per call; the engine is a channel
//! to its thread).

mod article_commands;
mod commands;
mod covers;
mod errors;
mod list_commands;
mod media_keys;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager};

use cuebook::events::{Event, EventSink, PlayerState};
use cuebook::preview::engine::Engine;
use cuebook::Library;

pub use errors::{CommandError, ErrorCode};

/// Names of the app-wide events (mirrored in `ui/src/lib/api/tauri.ts`).
pub mod events {
    pub const PLAYER: &str = "player";
    pub const POSITION: &str = "position";
    pub const PLAYBACK_ERROR: &str = "playback-error";
    pub const ANALYSIS: &str = "analysis";
}

/// How long after start background analysis waits.
const ANALYSIS_DELAY: Duration = Duration::from_secs(5);

/// What the app keeps between commands: cheap handles only.
pub struct AppState {
    pub library: Library,
    /// Set to stop the running scan.
    pub scan_cancel: Arc<AtomicBool>,
    /// Set to stop background analysis (a new scan or quitting).
    pub analysis_cancel: Arc<AtomicBool>,
    /// Whether background analysis runs now.
    pub analysis_running: Arc<AtomicBool>,
    pub engine: Engine,
    /// Set to stop the running export or import.
    pub transfer_cancel: Arc<AtomicBool>,
    /// Files this session exported: the only files the window may ask to open.
    pub exported: Mutex<std::collections::HashSet<std::path::PathBuf>>,
    /// Set to stop the running article import (a download).
    pub article_cancel: Arc<AtomicBool>,
}

/// The catalog the app opens: `CUEBOOK_DB` when set, else the platform data folder.
///
/// # Errors
/// When there is no data folder or the catalog cannot be opened.
pub fn open_library() -> Result<Library, String> {
    let path = std::env::var_os("CUEBOOK_DB")
        .map(std::path::PathBuf::from)
        .or_else(Library::default_db_path)
        .ok_or("no data folder on this system; set CUEBOOK_DB")?;
    Library::open(&path).map_err(|e| format!("cannot open the catalog {}: {e}", path.display()))
}

/// Keeps the window on Cuebook's own page: a link in a note that slipped past the page's click
/// handling must not replace the app with a web page (notes open links in the system browser).
fn navigation_guard<R: tauri::Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri::plugin::Builder::new("navigation-guard")
        .on_navigation(|_, url| {
            let allowed = is_app_url(url);
            if !allowed {
                eprintln!("cuebook: the window was kept from leaving the app for {url}");
            }
            allowed
        })
        .build()
}

/// The app's own page: `tauri://localhost` (Linux, macOS) or `http(s)://tauri.localhost` (Windows).
fn is_app_url(url: &tauri::Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        _ => false,
    }
}

/// Starts the app.
pub fn run() {
    use_software_rendering_without_gpu();
    let library = match open_library() {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cuebook: {e}");
            std::process::exit(1);
        }
    };
    let thumbs = library.thumbs_dir().to_path_buf();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(navigation_guard())
        .register_asynchronous_uri_scheme_protocol("cover", move |_ctx, request, responder| {
            let thumbs = thumbs.clone();
            tauri::async_runtime::spawn_blocking(move || {
                responder.respond(covers::respond(&thumbs, request.uri().path()));
            });
        })
        .setup(move |app| {
            let handle = app.handle().clone();
            let media = media_keys::start({
                let handle = handle.clone();
                move |key| on_media_key(&handle, key)
            });
            let sink = player_sink(handle, library.clone(), media);
            let engine = Engine::start(library.clone(), sink)?;
            match cuebook::settings::load(&library) {
                Ok(s) => {
                    engine.set_policy(s.preview_policy());
                    engine.set_volume(s.volume);
                }
                Err(e) => eprintln!("cuebook: settings unreadable, using defaults: {e}"),
            }
            app.manage(AppState {
                library,
                scan_cancel: Arc::default(),
                analysis_cancel: Arc::default(),
                analysis_running: Arc::default(),
                engine,
                transfer_cancel: Arc::default(),
                exported: Mutex::default(),
                article_cancel: Arc::default(),
            });
            // Tracks cataloged but not analyzed (new files, a scan cut short by quitting) are
            // analyzed in the background, once the window has had its first seconds to itself.
            let handle = app.handle().clone();
            std::thread::spawn(move || {
                std::thread::sleep(ANALYSIS_DELAY);
                commands::start_analysis(&handle);
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::search_tracks,
            commands::catalog_track,
            commands::catalog_album_groups,
            commands::catalog_albums,
            commands::catalog_album,
            commands::catalog_roots,
            commands::catalog_add_root,
            commands::catalog_remove_root,
            commands::catalog_scan,
            commands::catalog_cancel_scan,
            commands::catalog_problems,
            commands::catalog_music_folder,
            commands::catalog_stats,
            commands::player_preview,
            commands::player_play,
            commands::player_pause,
            commands::player_resume,
            commands::player_stop,
            commands::player_seek,
            commands::player_volume,
            commands::player_skim,
            commands::player_next,
            commands::player_previous,
            commands::player_status,
            commands::player_waveform,
            commands::settings_get,
            commands::settings_save,
            commands::app_first_albums,
            commands::annotate_get,
            commands::annotate_tags,
            commands::annotate_tag,
            commands::annotate_untag,
            commands::annotate_create_tag,
            commands::annotate_rename_tag,
            commands::annotate_merge_tags,
            commands::annotate_delete_tag,
            commands::annotate_tag_color,
            commands::annotate_rate,
            commands::annotate_set_note,
            commands::annotate_render_note,
            commands::annotate_add_cue_note,
            commands::annotate_update_cue_note,
            commands::annotate_delete_cue_note,
            commands::annotate_set_fields,
            commands::annotate_orphans,
            commands::annotate_relink_proposals,
            commands::annotate_relink,
            commands::annotate_forget,
            commands::annotate_open_link,
            commands::annotate_backup,
            commands::annotate_restore,
            commands::annotate_writeback_plan,
            commands::annotate_writeback_apply,
            list_commands::lists_all,
            list_commands::lists_create,
            list_commands::lists_create_smart,
            list_commands::lists_update,
            list_commands::lists_duplicate,
            list_commands::lists_delete,
            list_commands::lists_page,
            list_commands::lists_add,
            list_commands::lists_move,
            list_commands::lists_remove,
            list_commands::lists_entry_note,
            list_commands::lists_edit_placeholder,
            list_commands::lists_holding,
            list_commands::lists_resolutions,
            list_commands::lists_resolve,
            list_commands::lists_decline,
            list_commands::lists_export,
            list_commands::lists_cancel_transfer,
            list_commands::lists_open_export,
            list_commands::lists_csv_preview,
            list_commands::lists_import,
            article_commands::articles_list,
            article_commands::articles_get,
            article_commands::articles_import_file,
            article_commands::articles_import_url,
            article_commands::articles_import_text,
            article_commands::articles_cancel_import,
            article_commands::articles_decide,
            article_commands::articles_decide_above,
            article_commands::articles_detect_again,
            article_commands::articles_mentioned_in,
            article_commands::articles_to_list,
            article_commands::articles_rate,
            article_commands::articles_set_note,
            article_commands::articles_tag,
            article_commands::articles_untag,
            article_commands::articles_delete,
        ])
        .build(tauri::generate_context!());
    let app = match result {
        Ok(app) => app,
        Err(e) => {
            eprintln!("cuebook: the window could not be opened: {e}");
            std::process::exit(1);
        }
    };
    app.run(|handle, event| {
        if let tauri::RunEvent::Exit = event {
            if let Some(state) = handle.try_state::<AppState>() {
                state.scan_cancel.store(true, Ordering::Relaxed);
                state.analysis_cancel.store(true, Ordering::Relaxed);
                state.engine.stop();
            }
        }
    });
}

/// Without a GPU render node, WebKitGTK's accelerated compositing runs on software GL and every
/// frame of a scroll takes 150 ms or more (measured with `make bench-app` under Xvfb: 160–190 ms a
/// frame, against 14–31 ms with compositing off). On such machines (virtual machines, remote
/// sessions, CI) Cuebook turns compositing off unless the user chose otherwise
/// (`WEBKIT_DISABLE_COMPOSITING_MODE=0` keeps it on; the end-to-end tests do, because WebDriver
/// screenshots need it).
fn use_software_rendering_without_gpu() {
    #[cfg(target_os = "linux")]
    {
        const SWITCH: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
        let gpu = std::fs::read_dir("/dev/dri")
            .map(|entries| {
                entries
                    .flatten()
                    .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
            })
            .unwrap_or(false);
        if !gpu && std::env::var_os(SWITCH).is_none() {
            // Called first thing in `run`, before any other thread exists.
            std::env::set_var(SWITCH, "1");
        }
    }
}

/// Forwards the player's events to the window (and the media controls, when there are any).
fn player_sink(
    handle: AppHandle,
    library: Library,
    media: Option<Sender<media_keys::Update>>,
) -> EventSink {
    let media = Mutex::new(media);
    let last_track = Mutex::new(None::<i64>);
    Arc::new(move |e: &Event| {
        // A window that is closing stops listening; the player goes on to a consistent end.
        let _ = match e {
            Event::Player(status) => {
                if let Some(tx) = media.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
                    let mut last = last_track.lock().unwrap_or_else(|p| p.into_inner());
                    if *last != status.track_id {
                        *last = status.track_id;
                        let row = status
                            .track_id
                            .and_then(|id| cuebook::catalog::track(&library, id).ok());
                        let _ = tx.send(media_keys::Update::Track(row.map(Box::new)));
                        // the media thread may have ended
                    }
                    let _ = tx.send(media_keys::Update::State(status.state, None));
                    // as above
                }
                handle.emit(events::PLAYER, status)
            }
            Event::Position(p) => handle.emit(events::POSITION, p),
            Event::PlaybackError { track_id, message } => handle.emit(
                events::PLAYBACK_ERROR,
                serde_json::json!({ "track_id": track_id, "message": message }),
            ),
            Event::AnalysisProgress(p) => handle.emit(events::ANALYSIS, p),
            _ => Ok(()),
        };
    })
}

fn on_media_key(handle: &AppHandle, key: media_keys::Key) {
    use media_keys::Key;
    let Some(state) = handle.try_state::<AppState>() else {
        return;
    };
    let engine = &state.engine;
    match key {
        Key::Toggle => match engine.sync().state {
            PlayerState::Playing | PlayerState::Loading => engine.pause(),
            PlayerState::Paused => engine.resume(),
            PlayerState::Stopped => {}
        },
        Key::Play => engine.resume(),
        Key::Pause => engine.pause(),
        Key::Stop => engine.stop(),
        Key::Next => engine.next(),
        Key::Previous => engine.previous(),
        Key::SeekBy(ms) => {
            if let Some((_, at)) = engine.position() {
                let to = (at.as_millis() as i64 + ms).max(0) as u64;
                engine.seek(Duration::from_millis(to));
            }
        }
        Key::SeekTo(at) => engine.seek(at),
    }
}

#[cfg(test)]
mod tests {
    use cuebook::{search, Library};

    #[test]
    fn the_window_may_only_show_the_apps_own_page() {
        let ok = |u: &str| super::is_app_url(&tauri::Url::parse(u).unwrap());
        assert!(ok("tauri://localhost/index.html"));
        assert!(ok("http://tauri.localhost/"));
        assert!(
            !ok("https://example.org/"),
            "a web page opens in the browser, not here"
        );
        assert!(!ok("javascript:alert(1)"));
        assert!(!ok("file:///etc/passwd"));
        assert!(!ok("tauri://evil.example/"));
        assert!(!ok("http://tauri.localhost.evil.example/"));
    }

    /// The UI declares every field the Rust types serialize (`ui/src/lib/api/types.ts`).
    fn assert_declared(value: &serde_json::Value, what: &str) {
        let ui_types = include_str!("../../ui/src/lib/api/types.ts");
        for field in value.as_object().expect("an object").keys() {
            assert!(
                ui_types.contains(&format!("  {field}:"))
                    || ui_types.contains(&format!("  {field}?:")),
                "{what}.{field} is not declared in types.ts"
            );
        }
    }

    #[test]
    fn every_type_the_commands_return_is_declared_with_its_field_names_in_the_ui() {
        let dir = tempfile::tempdir().expect("a temp folder");
        let lib = Library::open(dir.path().join("library.sqlite")).expect("a new library opens");
        let page = search::search_tracks(&lib, "", 10, 0).expect("an empty library searches");
        assert_declared(&serde_json::to_value(&page).unwrap(), "TrackPage");
        let row = cuebook::db::tracks::TrackRow {
            id: 1,
            title: None,
            artists: vec![],
            composers: vec![],
            album_id: None,
            album: None,
            work: None,
            disc_no: None,
            track_no: None,
            year: None,
            duration_ms: None,
            format: "flac".into(),
            codec: None,
            sample_rate: None,
            bit_depth: None,
            channels: None,
            bitrate: None,
            path: "/m/a.flac".into(),
            missing_since: None,
            cover_hash: None,
            rating: Some(4),
            cue: Some("1M1".into()),
            tags: vec!["favourite".into()],
        };
        assert_declared(&serde_json::to_value(&row).unwrap(), "TrackRow");
        let album = cuebook::db::albums::AlbumRow {
            id: 1,
            title: "Jaws".into(),
            album_artist: None,
            composer: None,
            year: None,
            label: None,
            work: None,
            work_kind: None,
            tracks: 1,
            missing: 0,
            discs: None,
            duration_ms: 0,
            cover_hash: None,
            added_at: 0,
            rating: None,
        };
        assert_declared(&serde_json::to_value(&album).unwrap(), "AlbumRow");
        let page = cuebook::catalog::AlbumPage {
            album: cuebook::db::albums::AlbumDetail {
                row: album,
                original_year: None,
                catalog_numbers: vec![],
                barcode: None,
                edition: None,
                release_type: None,
                release_kind: None,
                mb_album_id: None,
                compilation: false,
                folder: None,
                work_year: None,
                work_source: None,
                work_id: Some(3),
            },
            composers: vec![],
            conductors: vec![],
            orchestrators: vec![],
            performers: vec![],
            tracks: vec![row],
            annotations: Default::default(),
            work_annotations: None,
        };
        let page = serde_json::to_value(&page).unwrap();
        assert_declared(&page, "AlbumPage");
        assert!(
            page["tracks"].is_number() && page["tracklist"].is_array(),
            "the count and the list keep apart"
        );
        let fields = cuebook::annotate::Fields {
            work_title: Some("Tron".into()),
            work_year: Some(1982),
            work_kind: Some("film".into()),
            composers: Some(vec!["Wendy Carlos".into()]),
            orchestrators: Some(vec![]),
            conductors: Some(vec![]),
            label: Some("Disney".into()),
            catalog_numbers: Some(vec!["X-1".into()]),
            edition: Some("Complete".into()),
            limited_to: Some(3000),
            cue: Some("1M1".into()),
        };
        assert_declared(&serde_json::to_value(&fields).unwrap(), "Fields");
        let cue = cuebook::db::subjects::CueNote {
            id: 1,
            at_ms: 102_000,
            text: "the theme returns".into(),
        };
        assert_declared(&serde_json::to_value(&cue).unwrap(), "CueNote");
        let tag = cuebook::db::tags::Tag {
            name: "noir".into(),
            color: None,
        };
        assert_declared(&serde_json::to_value(&tag).unwrap(), "Tag");
        let annotations = cuebook::annotate::Annotations {
            rating: Some(3),
            note: Some("n".into()),
            note_html: Some("<p>n</p>".into()),
            tags: vec![tag],
            fields,
            cue_notes: vec![cue],
        };
        assert_declared(&serde_json::to_value(&annotations).unwrap(), "Annotations");
        let count = cuebook::db::tags::TagCount {
            id: 1,
            name: "noir".into(),
            color: Some("#112233".into()),
            albums: 1,
            tracks: 2,
            works: 0,
        };
        assert_declared(&serde_json::to_value(&count).unwrap(), "TagCount");
        let target = serde_json::to_value(cuebook::annotate::Target::Album(7)).unwrap();
        assert_eq!(
            target,
            serde_json::json!({"kind": "album", "id": 7}),
            "targets are {{kind, id}} as types.ts says"
        );
        let orphan = cuebook::annotate::Orphan {
            subject_id: 1,
            kind: cuebook::db::subjects::Kind::Track,
            was: "Main Title — Jaws".into(),
            rating: None,
            has_note: true,
            tags: vec![],
            cue_notes: 0,
            has_fields: false,
            updated_at: 0,
        };
        let orphan = serde_json::to_value(&orphan).unwrap();
        assert_declared(&orphan, "Orphan");
        assert_eq!(orphan["kind"], "track", "kinds are lower case");
        let proposal = cuebook::annotate::Proposal {
            subject_id: 1,
            kind: cuebook::db::subjects::Kind::Album,
            was: "a".into(),
            to: cuebook::annotate::Target::Album(2),
            to_label: "b".into(),
            reason: "same title and album artist",
        };
        assert_declared(&serde_json::to_value(&proposal).unwrap(), "Proposal");
        let restore = cuebook::annotate::backup::RestoreReport::default();
        assert_declared(&serde_json::to_value(&restore).unwrap(), "RestoreReport");
        let change = cuebook::annotate::writeback::Change {
            field: cuebook::annotate::writeback::Field::CatalogNumber,
            old: vec![],
            new: vec!["X-1".into()],
        };
        let file = serde_json::to_value(cuebook::annotate::WritebackFile {
            track_id: 1,
            path: "/m/a.flac".into(),
            changes: vec![change],
        })
        .unwrap();
        assert_declared(&file, "WritebackFile");
        assert_declared(&file["changes"][0], "WritebackChange");
        assert_eq!(
            file["changes"][0]["field"], "catalog_number",
            "as WritebackField spells it"
        );
        let report = serde_json::to_value(cuebook::catalog::ScanReport::default()).unwrap();
        assert_declared(&report, "ScanReport");
        let problem = cuebook::db::problems::Problem {
            path: "/m/x.mp3".into(),
            reason: "truncated".into(),
            seen_at: 0,
        };
        assert_declared(&serde_json::to_value(&problem).unwrap(), "Problem");
        let settings = cuebook::settings::load(&lib).unwrap();
        assert_declared(&serde_json::to_value(&settings).unwrap(), "Settings");
        let stats = cuebook::catalog::stats(&lib, 10).unwrap();
        let stats = serde_json::to_value(&stats).unwrap();
        assert_declared(&stats, "Stats");
        assert_declared(&stats["totals"], "Totals");
        let groups = serde_json::to_value(cuebook::search::AlbumGroup {
            label: "A".into(),
            count: 1,
        })
        .unwrap();
        assert_declared(&groups, "AlbumGroup");
        let q = serde_json::to_value(cuebook::search::AlbumQuery::default()).unwrap();
        assert_declared(&q, "AlbumQuery");
        let status = serde_json::to_value(cuebook::events::PlayerStatus {
            state: cuebook::events::PlayerState::Stopped,
            track_id: None,
            mode: None,
            output_available: true,
            output_problem: None,
        })
        .unwrap();
        assert_declared(&status, "PlayerStatus");
        let w = serde_json::to_value(cuebook::preview::analysis::Waveform {
            track_id: 1,
            duration_ms: 1,
            smart_start_ms: 0,
            peaks: vec![(-0.5, 0.5)],
        })
        .unwrap();
        assert_declared(&w, "Waveform");
        assert_eq!(
            w["peaks"][0],
            serde_json::json!([-0.5, 0.5]),
            "peaks are [min, max] pairs"
        );
    }

    #[test]
    fn every_article_type_the_commands_return_is_declared_in_the_ui() {
        use cuebook::articles::{self, Source};
        use std::sync::atomic::AtomicBool;
        let dir = tempfile::tempdir().expect("a temp folder");
        let lib = Library::open(dir.path().join("library.sqlite")).expect("a new library opens");
        let text = "Three scores\nby Ann Writer\n\n3. *Jaws* (1975)\n\nThe shark.\n\n\
                    2. Alien (1979)\n\nThe ship.\n\n1. Tron (1982)\n\nThe grid.\n";
        let imported = articles::import(
            &lib,
            Source::Text {
                text,
                name: "a test",
            },
            &AtomicBool::new(false),
        )
        .expect("pasted text imports");
        assert_declared(&serde_json::to_value(&imported).unwrap(), "ArticleImported");
        articles::tag(&lib, imported.id, &["read".into()]).expect("a tag");
        articles::set_note(&lib, imported.id, "*good*").expect("a note");
        let summary = serde_json::to_value(&articles::list(&lib, None).unwrap()[0]).unwrap();
        assert_declared(&summary, "ArticleSummary");
        let view = serde_json::to_value(articles::get(&lib, imported.id).unwrap()).unwrap();
        assert_declared(&view, "ArticleView");
        assert_declared(&view["blocks"][0], "ArticleBlock");
        assert_declared(&view["tags"][0], "ArticleTag");
        assert_declared(&view["ranked"], "RankedArticle");
        assert_declared(&view["ranked"]["entries"][0], "RankedArticleEntry");
        assert_eq!(view["ranked"]["order"], "descending");
        let link = articles::LinkView {
            id: 1,
            kind: "album".into(),
            label: "Jaws".into(),
            status: "suggested".into(),
            confidence: 0.9,
            reason: "italics".into(),
            excerpt: "*Jaws*".into(),
            excerpt_start: 0,
            excerpt_end: 4,
            found: true,
            album_id: Some(1),
            track_id: None,
            track_album_id: None,
            name: None,
            mentions: 1,
        };
        assert_declared(&serde_json::to_value(&link).unwrap(), "ArticleLink");
        let mention = articles::MentionView {
            link_id: 1,
            start: 0,
            end: 4,
            status: "confirmed".into(),
            kind: "album".into(),
        };
        assert_declared(&serde_json::to_value(&mention).unwrap(), "ArticleMention");
        let mentioned = articles::MentionedIn {
            article_id: 1,
            title: "Three scores".into(),
            author: None,
            published: None,
            excerpt: "Jaws".into(),
            excerpt_start: 0,
            excerpt_end: 4,
        };
        assert_declared(&serde_json::to_value(&mentioned).unwrap(), "MentionedIn");
        let subject: articles::Subject = serde_json::from_value(
            serde_json::json!({ "kind": "person", "name": "John Williams" }),
        )
        .expect("a subject as types.ts shapes it");
        assert!(matches!(subject, articles::Subject::Person { .. }));
        let decision: articles::Decision = serde_json::from_value(serde_json::json!("undecide"))
            .expect("a decision as types.ts spells it");
        assert_eq!(decision, articles::Decision::Undecide);
    }

    #[test]
    fn every_list_type_the_commands_return_is_declared_in_the_ui() {
        use cuebook::lists::{self, exchange, Item, Ranking};
        use std::sync::atomic::AtomicBool;
        let dir = tempfile::tempdir().expect("a temp folder");
        let lib = Library::open(dir.path().join("library.sqlite")).expect("a new library opens");
        let list = lists::create(&lib, "Wishlist", Ranking::Descending).expect("a list");
        assert_declared(&serde_json::to_value(&list).unwrap(), "ListInfo");
        lists::add(
            &lib,
            list.id,
            &[Item::Placeholder {
                title: "Le Samouraï".into(),
                artist: Some("François de Roubaix".into()),
                year: Some(1967),
                note: Some("*wanted*".into()),
            }],
            None,
        )
        .expect("a placeholder");
        let summaries = lists::lists(&lib).expect("lists");
        assert_declared(&serde_json::to_value(&summaries[0]).unwrap(), "ListSummary");
        let page = serde_json::to_value(lists::page(&lib, list.id).unwrap()).unwrap();
        assert_declared(&page, "ListPage");
        assert_declared(&page["entries"][0], "ListEntry");
        assert_eq!(
            page["entries"][0]["kind"], "placeholder",
            "kinds as types.ts spells them"
        );
        assert_eq!(page["list"]["ranking"], "descending");
        let smart = serde_json::to_value(lists::SmartQuery::Albums {
            query: "tag:x".into(),
            arrange: Default::default(),
            kind: None,
            limit: Some(3),
        })
        .unwrap();
        assert_eq!(
            smart["scope"], "albums",
            "smart queries are tagged by scope"
        );
        assert_declared(&smart, "SmartQuery");
        let resolution = lists::Resolution {
            entry_id: 1,
            list_id: 1,
            list_name: "Wishlist".into(),
            title: "Jaws".into(),
            artist: None,
            year: None,
            album_id: 2,
            album_title: "Jaws".into(),
            album_artist: None,
            album_year: None,
            confidence: 0.6,
        };
        assert_declared(&serde_json::to_value(&resolution).unwrap(), "Resolution");
        let quiet = |_: &exchange::Progress| {};
        let json = dir.path().join("list.json");
        let report = exchange::export(
            &lib,
            &exchange::Source::List { id: list.id },
            exchange::Format::Json,
            &json,
            exchange::ExportOptions::default(),
            &quiet,
            &AtomicBool::new(false),
        )
        .expect("an export");
        assert_declared(&serde_json::to_value(&report).unwrap(), "ExportReport");
        assert_declared(
            &serde_json::to_value(exchange::Progress {
                phase: "writing",
                done: 0,
                total: 1,
            })
            .unwrap(),
            "TransferProgress",
        );
        let imported = exchange::import(
            &lib,
            &json,
            &exchange::ImportOptions::default(),
            &quiet,
            &AtomicBool::new(false),
        )
        .expect("an import");
        assert_declared(&serde_json::to_value(&imported).unwrap(), "ImportReport");
        let csv = dir.path().join("list.csv");
        std::fs::write(&csv, "Title,Composer\nJaws,John Williams\n").unwrap();
        let preview = serde_json::to_value(exchange::csv_preview(&csv).unwrap()).unwrap();
        assert_declared(&preview, "CsvPreview");
        assert_declared(&preview["suggested"], "CsvMapping");
        let options: exchange::ImportOptions = serde_json::from_value(
            serde_json::json!({ "name": null, "mapping": preview["suggested"] }),
        )
        .expect("the mapping the UI sends back reads");
        assert!(options.mapping.is_some());
        let source: exchange::Source = serde_json::from_value(
            serde_json::json!({ "kind": "query", "query": { "scope": "tracks", "query": "" } }),
        )
        .expect("an export source as types.ts shapes it");
        assert!(matches!(source, exchange::Source::Query { .. }));
        let item: Item = serde_json::from_value(serde_json::json!({ "kind": "album", "id": 3 }))
            .expect("an item without a note");
        assert_eq!(item, Item::Album { id: 3, note: None });
    }
}
