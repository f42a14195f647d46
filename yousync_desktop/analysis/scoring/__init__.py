"""The quick score: one take against the actor's reference for one line, offline, in API terms.
Its public face is `yousync_desktop.analysis.quick_score`; the parts live here, one per concern:

    reference.py           the actor's side, prepared once per line, and the cache that keeps it
    orchestrate.py         one take against a prepared line: quick_score, score_take, the Score
    alignment_features.py  what the alignment compares (loudness + MFCC) and the take's VTLN warp
    pronunciation.py       per word: the same sound structure as the actor's?
    intonation.py          the melody, register-free
    timing.py              the words' starts, the line's start and end, the tempo
    frames.py              the 10 ms frame grid, pitch on it, the 0–1 ramps
    blas.py                single-threaded BLAS while scoring
    cli_adapter.py         files in, JSON out (`yousync score`)

The timeline. A take is recorded over a window around the line: its sample 0 is the absolute time
`window_start` (usually `script.start_time - pre_roll`). The reference is the actor's vocal over
the same window (sample 0 = `window_start` too). A take recorded with a round-trip latency of L ms
has the learner's voice L ms late; the score drops the take's first L ms before looking at it, so
every time below is already latency-corrected. Only the line and ANALYSIS_MARGIN seconds around
it are analysed, however long the window, and only the line's own speech counts in the reference:
anything outside its words (a neighbouring line's tail) is silenced. Times in the results
(`Alignment`, `AlignedWord`) are seconds from the window's sample 0; `learner_pitch` has absolute
times (for drawing against the token's pitch contour).

The three dimensions, each 0–1, then multiplied by the recording's quality factor (clipping,
invalid samples, a low sample rate, far too little or too much speech; take_quality.py — each also
adds an issue):
- pronunciation: per word, does the take have the actor's sound *structure*? Within each
  recording, the distances from the word's frames to every other speech frame of the line form a
  pattern (which sounds repeat, which contrast); the same words give the same pattern whatever
  the voice, because each pattern compares a voice only with itself. The score is the correlation
  of the two patterns (the take's read through the alignment). The alignment (banded DTW) runs on
  loudness and MFCC after vocal tract length normalisation (the take's mel filterbank is scaled
  by the warp that aligns it best with the actor), so a bass and a soprano align on formants;
- intonation: register-free — both contours in semitones from the speaker's own median, compared
  along the alignment on frames voiced in both (mean absolute error after removing the overall
  offset, and correlation, so a flat delivery of a lively line scores low);
- timing: the words' starts on the take (mapped by the alignment) against the actor's, the line's
  start and end, and the tempo (ratio of the line's durations).
`overall_score` is their mean — the sync rate, so `Score.rank` and the headline number agree.
"""
