import type { CliIo } from "./io.ts";

/** A phase is announced only once it has lasted this long: quick runs stay silent. */
const ANNOUNCE_AFTER_MS = 1000;
const TICK_MS = 250;

export interface Progress {
  /** A new phase of the work ("opening the gateway"), announced if it lasts over a second. */
  phase(label: string): void;
  /** Items done of a total: a bar on a terminal, a plain line every tenth otherwise (from `minTotal` items). */
  count(label: string, done: number, total: number, minTotal?: number): void;
  /** The work is over: the terminal line is cleared. */
  end(): void;
}

/**
 * Progress on stderr (issue 15 item 3), so stdout stays the command's report or JSON: on a terminal one line
 * redrawn in place (a count and a bar, or the phase with its elapsed seconds); otherwise plain lines.
 */
export function createProgress(io: CliIo, command: string): Progress {
  const tty = io.tty;
  let phase: { label: string; started: number } | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let drawn = false;
  let shownStep = -1; // the tenth (plain) or percent (terminal) last shown
  const draw = (text: string) => {
    tty!.write(`\r\x1b[K${text.slice(0, tty!.columns - 1)}`);
    drawn = true;
  };
  const stopTimer = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  const onTick = () => {
    if (!phase) return;
    const ms = performance.now() - phase.started;
    if (ms < ANNOUNCE_AFTER_MS) return;
    if (tty) return draw(`jiexu ${command}: ${phase.label}… ${Math.floor(ms / 1000)} s`);
    io.err(`jiexu ${command}: ${phase.label}…`);
    stopTimer(); // a plain line is printed once per phase
  };
  const clear = () => {
    if (drawn) tty!.write("\r\x1b[K");
    drawn = false;
  };
  return {
    phase(label) {
      stopTimer();
      phase = { label, started: performance.now() };
      timer = setInterval(onTick, TICK_MS);
      timer.unref();
    },
    count(label, done, total, minTotal = 50) {
      stopTimer();
      phase = undefined;
      if (tty) {
        const percent = total ? Math.floor((done * 100) / total) : 100;
        if (percent === shownStep && done !== total) return;
        shownStep = percent;
        const width = 24;
        const filled = total ? Math.round((done / total) * width) : width;
        return draw(`jiexu ${command}: ${label} ${done}/${total} [${"#".repeat(filled)}${".".repeat(width - filled)}]`);
      }
      const step = total ? Math.floor((done * 10) / total) : 10;
      if (total < minTotal || step === shownStep) return;
      shownStep = step;
      io.err(`jiexu ${command}: ${label} ${done}/${total}`);
    },
    end() {
      stopTimer();
      phase = undefined;
      if (tty) clear();
    },
  };
}
