// What one page hands to another: the voice page's "use for a video" fills in the create page.

export interface SpeechPrefill {
  text: string;
  voice: string;
  speed: number;
  audioUrl: string;
  durationSeconds: number;
}

let pending: SpeechPrefill | null = null;

export function setSpeechPrefill(p: SpeechPrefill): void { pending = p; }

/** The prefill, once: reading it clears it. */
export function takeSpeechPrefill(): SpeechPrefill | null {
  const p = pending;
  pending = null;
  return p;
}
