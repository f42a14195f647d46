"""The audio engine: one full-duplex PortAudio stream that plays a line's mix and records the
microphone on the same sample clock, takes cut by sample index, measured latency. No Qt: plain
callbacks, queues and threads. Nothing is imported here, so the package loads without PortAudio.

Modules, in the order a practice session uses them:

- `devices`        list inputs/outputs and rates, keys Settings stores, fall back when one is gone
- `duplex_engine`  `DuplexEngine`: one duplex stream, playback by index, capture to listeners,
                   device loss, restart; a facade over the five modules below
- `clock`          the two sample counters and the audio callback that keeps them
- `stream_host`    opening, pumping (`blocking_pump`) and closing the PortAudio stream
- `capture_fanout` the capture ring drained into listeners on the consumer thread
- `supervisor`     the consumer and watcher threads: reopen a stream PortAudio ended, or fail once
- `engine_stats`   over/underflow counts and alignment breaks from the callback's event log
- `engine_config`  `EngineConfig`: devices, rate and timeouts, from Settings
- `playback_mix`   `SceneAudio` (decode once per scene) → `LineMix` (background, vocal, count-in)
- `take_recorder`  `record_line()` → `TakeSession` → `TakeResult`; cut by the calibrated latency
- `take_writer`    incremental WAV that survives crashes; metadata in its header
- `calibration`    `LatencyCalibrator` (chirps + cross-correlation); results per device pair
- `input_health`   `LevelMeter`, noise-floor and voice-level checks in dBFS
- `capture_queue`  `CaptureQueue`: recorded blocks for the UI's timer (live trace)
- `device_watch`   notices a dead sound server or an unplugged PulseAudio device
- `ring_buffer`    the lock-free single-producer ring the callback writes into
- `cli_commands`   `yousync devices`, `yousync calibrate`
- `engine_interface` `AudioEngine`: what the practice layer uses of an engine
- `fake_engine`    `FakeEngine`: that interface for tests, deterministic, without PortAudio

A practice session, in short::

    engine = DuplexEngine(EngineConfig.from_settings(settings)); engine.start()
    latency = saved_latency(settings, engine.devices, engine.sample_rate)   # or calibrate now
    scene = SceneAudio.load(token, media.bgvoice, media.vocal, sample_rate=engine.sample_rate,
                            channels=engine.output_channels)
    session = record_line(engine, scene.line_mix(script, count_in=CountIn()), path, latency,
                          pre_roll_s=settings.take_pre_roll_ms / 1000,
                          post_roll_s=settings.take_post_roll_ms / 1000,
                          on_finished=...)   # → library.add_take(..., metadata=result.metadata)
"""
