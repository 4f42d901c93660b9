import { expect } from "vitest";
import { CodedError } from "../../src/domain/errors.ts";

interface DeciderLike<S, C, E> {
  decide(command: C, state: S): E[];
  evolve(state: S, event: E): S;
  initialState(): S;
}

/** What `then` hands back for further assertions on the decided events. */
export interface Outcome<S, E> {
  events: E[];
  /** The state after the given history and the decided events. */
  state: S;
}

/**
 * given(history).when(command).then(expected) for deciders (emmett's DeciderSpecification).
 * `expected` is either the exact events `decide` must return, or the code of the
 * CodedError it must throw (codes, never message text, per house style).
 */
export function deciderSpec<S, C, E>(decider: DeciderLike<S, C, E>) {
  return {
    given(history: readonly E[]) {
      const state = history.reduce(decider.evolve, decider.initialState());
      return {
        when(command: C) {
          return {
            // biome-ignore lint/suspicious/noThenProperty: given/when/then is the spec's vocabulary; never awaited
            then(expected: readonly E[] | string): Outcome<S, E> {
              if (typeof expected === "string") {
                expect(() => decider.decide(command, state)).toThrow(CodedError);
                expect(() => decider.decide(command, state)).toThrow(expect.objectContaining({ code: expected }));
                return { events: [], state };
              }
              const events = decider.decide(command, state);
              expect(events).toEqual(expected);
              return { events, state: events.reduce(decider.evolve, state) };
            },
          };
        },
      };
    },
  };
}
