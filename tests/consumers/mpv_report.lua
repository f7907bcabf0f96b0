-- Loaded into mpv by m3u_play.py: reports, as one JSON object on stdout when mpv quits, the
-- playlist mpv parsed, every file it opened (with what its demuxer found) and every file it failed
-- to open.
local utils = require 'mp.utils'
local report = { playlist = nil, played = {}, errors = {} }

-- A hook, not the file-loaded event: mpv waits for a hook to return, so the properties read here
-- belong to this file even when playback races on to the next one.
mp.add_hook('on_preloaded', 50, function()
  if report.playlist == nil then
    report.playlist = mp.get_property_native('playlist')
  end
  local pos = mp.get_property_number('playlist-pos')
  -- The demuxer's streams; the decoder is not set up yet.
  local codecs = {}
  for _, t in ipairs(mp.get_property_native('track-list') or {}) do
    if t.type == 'audio' then codecs[#codecs + 1] = t.codec end
  end
  report.played[#report.played + 1] = {
    path = mp.get_property('path'),
    playlist_title = mp.get_property('playlist/' .. pos .. '/title'),
    media_title = mp.get_property('media-title'),
    duration = mp.get_property_number('duration'),
    file_format = mp.get_property('file-format'),
    audio_codecs = codecs,
  }
end)

mp.register_event('end-file', function(event)
  if event.reason == 'error' then
    report.errors[#report.errors + 1] = {
      playlist_entry_id = event.playlist_entry_id,
      error = event.file_error,
    }
  end
end)

mp.register_event('shutdown', function()
  if report.playlist == nil then
    report.playlist = mp.get_property_native('playlist')
  end
  io.stdout:write(utils.format_json(report) .. '\n')
  io.stdout:flush()
end)
