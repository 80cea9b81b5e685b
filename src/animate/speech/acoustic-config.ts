// The numbers the acoustic analysis judges speech by (acoustic.ts, voice.ts, closures.ts), in one
// place: where each applies is said beside it.
export const ACOUSTIC = Object.freeze({
  /** Speech starts this far above the recording's floor, and no lower than peak - range. */
  gateAboveFloorDb: 12,
  rangeDb: 40,
  /** Window on each side for the neighbouring syllables' peak (rap syllables are ~125 ms). */
  neighbourSeconds: 0.12,
  /** A dip this deep below both neighbours is a closure candidate. */
  dipDb: [4, 10] as const,
  /** A closed tract radiates little above this centroid (voice bar / murmur), Hz. */
  closedCentroidHz: [900, 600] as const,
  /** A stop closure: this far below the louder neighbouring syllable (and 3-8 dB below the other). */
  gapDb: [12, 20] as const,
  /** A nasal murmur: centroid this fraction of the voice's own vowels' centroid... */
  murmurCentroidRatio: [0.65, 0.45] as const,
  /** ...and this much less energy above 3 kHz (relative to its level) than those vowels, dB. */
  murmurDarkerDb: [2, 7] as const,
  /** Frication: energy above 3 kHz (relative to level) this much above the voice's vowels, dB. */
  fricationAboveVowelsDb: [3, 9] as const,
  /**
   * A bed under the voice fills the pauses and gaps of the full level but leaves them in the
   * voice's band above 1 kHz: the level above 1 kHz is followed instead when the full level's
   * dynamic range (loudest 2 % over quietest 5 %) is under `bedRangeDb` and the upper band's is
   * wider by `bedRangeMarginDb`. Clean speech, even fast with no pause, spans 30 dB or more (its
   * quietest frames are voice bars and murmurs, dark but not loud); voices over the synthetic
   * bed of eval:lipsync at -6 to -12 dB span 12-22 dB (at -18 dB, 20-27 dB: the bed no longer
   * fills the gaps and the full level works).
   */
  bedRangeDb: 24,
  bedRangeMarginDb: 5,
  /**
   * The bed is judged per window of this length, a window every `bedStepSeconds`, so that a bed
   * under only part of a clip (a song's intro, music coming in mid-speech) is found where it
   * plays, and each stretch is judged against its own background; between window centres the
   * targets read with and without the bed are blended (a hand-over of one step, no jump).
   * A clip no longer than `bedMinWindowSeconds` is judged whole.
   */
  bedWindowSeconds: 4,
  bedStepSeconds: 1,
  /**
   * A clip shorter than three windows is judged per window of a third of its length (a step of
   * a quarter window), down to this: a bed under the second half of a 5.5 s clip (music coming
   * in mid-sentence) lasts under a window of 4 s and was not found; a third leaves a window
   * wholly over it once the fade-in is past, where half a clip's window still held the fade.
   * Windows of clean speech and singing wrongly called a bed, on the fixtures of eval:lipsync at
   * a 0.25 s step: 4 s none, 2.5 s 0.1 %, 2 s 0.8 %, 1.5 s 4.3 % (beds at -6 and -12 dB found by
   * 99.8, 98.8, 98.0 and 96.5 % of their windows): 2 s is the shortest that stays reliable.
   */
  bedMinWindowSeconds: 2,
  /**
   * Over a bed the jaw opens only within [1] s of a hop voiced above [0] (the lower end of the
   * voicedness ramp): a snare or a hi-hat in a pause rises above the gate in the band the voice is
   * read in over a bed as a syllable does, but has no pitch; a consonant before or after its vowel
   * is within reach. eval:lipsync, pauses over the bed at -6 dB: the jaw opened on the snare in 17
   * of 116 pause frames, now 3 (at 128 and 150 bpm 9 -> 7 and 12 -> 9: a pad's chord is voiced).
   */
  bedVoicedReach: [0.45, 0.15] as const,
  /**
   * A stretch between silences (runs of `bedSilenceSeconds` at least `bedSilenceDb` under the
   * clip's loudest 2 %: no bed plays there) shorter than a window is judged by itself from this
   * length on (voice.ts bedBetweenSilences); at its ends over this length by a stricter rule: a
   * full range under `bedShortRangeDb` and the upper band's wider by `bedShortMarginDb`. Windows
   * of 1.5 s by the plain rule called 4.3 % of clean windows a bed; by the strict one none of
   * 817 (the fixtures of eval:lipsync at 1 and 1.6x, 0.25 s step), finding 67 % of bedded ones.
   */
  bedShortSeconds: 1.5,
  bedShortRangeDb: 18,
  bedShortMarginDb: 10,
  bedSilenceDb: 45,
  bedSilenceSeconds: 0.1,
  /**
   * Over a bed a closure is read only where the level above 1 kHz falls to within
   * `closureAboveBedDb` of the bed's own level there: the `bedFloorShare` quantile of that level
   * within `bedFloorSeconds` each side (the pauses, gaps and consonants, where only the bed
   * sounds). That band dips a stop gap's depth (12-20 dB) on a nasal coda or a back vowel while
   * the voice still sounds below 1 kHz (Mandarin -n/-ng), and the place cues, read from the
   * bed's spectrum in the dip, called most such dips bilabial; they stay well over the bed.
   * eval:lipsync, lips shut while the voice sounds: zh-poem x1.6 over the bed 43.6 -> 35.9 %
   * (-6 dB; 28.2 % clean), over its second half 47.4 -> 28.9 %; labelled speech over music: p/b/m
   * recall 92.0 -> 92.0 % (-6 dB), 91.6 -> 91.5 % (-12 dB), closures on other phonemes 20.9 ->
   * 20.7 %, 18.8 -> 18.7 %. The quarter quantile (0.25) shut the lips less (33.3 %, 26.3 %) but
   * caught 89.6 % of the p/b/m closures at -12 dB, under the 90 % the clean corpus keeps. The
   * minimum within 1 s (not a quantile) lost two thirds of the p/b/m closures: the synthetic
   * bed's highs swing 20 dB within a second, and a closure falls only to where the bed is at
   * that moment.
   */
  closureAboveBedDb: [6, 12] as const,
  bedFloorSeconds: 1,
  bedFloorShare: 0.3,
  /**
   * Over a bed the place cues read each band less the bed's level there: its `bedSpectrumShare`
   * quantile within `bedFloorSeconds` each side, what is left floored `bedResidualDb` under it
   * (closures.ts withoutBed). With the bed's place model refitted on cues read so (PLACE_MODEL_BED),
   * its held-out AUC of bilabial against not rose 0.81 -> 0.86 (read with the bed: 0.81); the
   * quantile 0.1 or 0.3 and floors of 15-20 dB scored 0.83-0.85 on the same fit.
   */
  bedSpectrumShare: 0.2,
  bedResidualDb: 10,
  /** A closure event is shown as shut lips from this bilabial probability on (soft in between). */
  bilabialP: [0.4, 0.6] as const,
  /** The same over a bed, for PLACE_MODEL_BED (closure-place.ts), picked by eval/closure-fit.ts (BED=1) on the tuning half. */
  bedBilabialP: [0.35, 0.45] as const,
  /** The share of its evidence a tongue closure keeps: the lips come close but stay apart (< 0.5). */
  tongueClosure: 0.4,
  /**
   * The lips hold a stop closure for at most this share of a syllable cycle (1 / the local
   * syllable rate, 2-10 per second) before its release: 100 ms at 5 syllables a second, 62 ms
   * at 8. A bilabial stop's closure is 60-120 ms in read speech and shortens with the rate; a
   * longer stop gap is a cluster (closures.ts bilabialClosures). Shorter shares cut more false
   * closures on eval:lipsync (tuning half: a third of a cycle 11.0 %, 0.4 11.9 %, 0.5 12.9 %,
   * none 14.0 %) at the same recall, but would show a real /p/ at a careful rate as a flick:
   * half a cycle is the shortest that keeps a careful p closure (90-120 ms at 4-5 syllables a
   * second) whole.
   */
  lipHoldShare: 0.5,
  /**
   * Syllable nuclei open the jaw by at least this much, whatever F1 says: the nucleus is where
   * the level rises above the valleys between syllables (`nucleusRiseDb`, within
   * `nucleusSeconds` each side) and is near the local peak. At 8 syllables a second, and for
   * high voices whose F1 the LPC tracker confuses with the first harmonics, F1 alone left the
   * jaw at a median of 0.09 on fast Mandarin.
   */
  nucleusJaw: 0.5,
  nucleusRiseDb: [3, 9] as const,
  nucleusSeconds: 0.07,
  /** ...and within this many dB of the loudest level within `nucleusPeakSeconds` each side. */
  nucleusPeakDb: [4, 1] as const,
  nucleusPeakSeconds: 0.03,
  /**
   * At fast rates the jaw has no time to reach its targets before the next consonant (the
   * articulators' dynamics, tracks.ts, cut the peaks), so its targets are raised by up to
   * `fastJawGain` as the local syllable rate goes from `fastRate[0]` to `fastRate[1]` syllables
   * per second of speech (counted as nuclei within `rateSeconds` each side).
   */
  fastJawGain: 0.5,
  fastRate: [5, 8] as const,
  rateSeconds: 0.6,
  /** F1 above this is taken as the open end of the speaker's range at most (a tracker's slip to F2 is not a wider jaw). */
  f1OpenMaxHz: 1000,
});
