// Which parts of a view a frame draws. Paused: every dirty part, at once. While playing, a part with a rate
// (`everyMs`) waits that long between drawings (a chart at 10 Hz reads as smooth as at 60), and a frame draws
// the due parts most overdue first until their measured costs fill `frameWorkMs` (the first one always); the
// rest wait for the next frame. So a slow device (a school Chromebook) keeps answering at its frame rate and
// spreads the drawing over frames instead of drawing everything in one long frame.
//
// The browser's own work for what changed (layout, paint, handing canvases to the compositor) is not in the
// measured costs, so the rates also follow the frames: while frames come well below the display's rate, the
// intervals of the parts other than the main one (what a learner watches) stretch, up to `maxSlowdown` times,
// and shrink back once the frames keep up.

const FRAME_WORK_MS = 5; // a third of a 60 Hz frame: room for the browser's layout and paint of what changed
const MAX_SLOWDOWN = 4;
const SLOW_FRAMES = 1.3; // frames this much longer than the display's are falling behind
const GROW = 1.05; // the stretch per frame that falls behind
const EASE = 1.02; // and back per frame that keeps up

export class PartScheduler {
  /** everyMs: part -> least ms between its drawings while playing (a part not listed: every frame). */
  constructor({ everyMs = {}, mainPart = null, frameWorkMs = FRAME_WORK_MS, maxSlowdown = MAX_SLOWDOWN } = {}) {
    this.everyMs = everyMs;
    this.mainPart = mainPart;
    this.frameWorkMs = frameWorkMs;
    this.maxSlowdown = maxSlowdown;
    this.slowdown = 1;
    this.costMs = new Map(); // part -> recent ms its drawing took
    this.drawnAt = new Map(); // part -> when it was last drawn
    this.draws = new Map(); // part -> how many times it was drawn (for tests and probes)
  }

  /** The parts of `dirty` to draw in this frame, in order. */
  choose(dirty, now, playing) {
    if (!playing) return [...dirty];
    const lateness = (part) => {
      const stretch = part === this.mainPart ? 1 : this.slowdown;
      return now - (this.drawnAt.get(part) ?? -Infinity) - (this.everyMs[part] ?? 0) * stretch;
    };
    const due = [...dirty].filter((part) => lateness(part) >= 0).sort((a, b) => lateness(b) - lateness(a));
    const chosen = [];
    let cost = 0;
    for (const part of due) {
      const c = this.costMs.get(part) ?? 0;
      if (chosen.length > 0 && cost + c > this.frameWorkMs) continue;
      chosen.push(part);
      cost += c;
    }
    return chosen;
  }

  /** A part was drawn at `now` and took ms. */
  drawn(part, ms, now) {
    this.costMs.set(part, 0.7 * (this.costMs.get(part) ?? ms) + 0.3 * ms);
    this.drawnAt.set(part, now);
    this.draws.set(part, (this.draws.get(part) ?? 0) + 1);
  }

  /**
   * Stretches the intervals a little while the frames (times: the last animation frames' timestamps, at
   * least 31) come slower than the display's, and eases them back when they keep up.
   */
  followFrames(times) {
    if (times.length < 31) return;
    // The mean, not the median: light frames between heavy ones would hide the heavy ones from a median.
    const mean = (times.at(-1) - times.at(-31)) / 30;
    // The display's interval: the quicker frames (a quarter of them; the quickest alone can be half an
    // interval when a late frame is followed by one on time).
    const gaps = [];
    for (let i = 1; i < times.length; ++i) gaps.push(times[i] - times[i - 1]);
    gaps.sort((a, b) => a - b);
    const display = Math.max(4, gaps[Math.floor(gaps.length / 4)]);
    // Frames within SLOW_FRAMES of the display's interval are kept up with (a page there has little to gain
    // by drawing less), so the stretch settles where frames come at about 1 / SLOW_FRAMES of its rate.
    if (mean > SLOW_FRAMES * display) this.slowdown = Math.min(this.maxSlowdown, this.slowdown * GROW);
    else this.slowdown = Math.max(1, this.slowdown / EASE);
  }
}
