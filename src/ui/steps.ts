// Long work in the extension host, in steps: the core's generators (reading a deployment file, evaluating the rules,
// importing an inventory) yield after each slice, and the extension host runs whatever waits (other extensions, VS
// Code's messages) in between.

/** A run of steps ended by its `stop` (the user cancelled): the work after the last step was never done. */
export class StepsStopped extends Error {
  constructor() {
    super('Stopped between two steps.');
  }
}

export interface StepOptions<Y> {
  /** Sees what each step yields (where the work is, for progress). */
  onStep?(value: Y): void;
  /** Asked after each pause; true ends the run with StepsStopped. */
  stop?(): boolean;
}

/** Runs `steps` to its end, letting the extension host run other work between two steps. */
export async function inSteps<T, Y = void>(steps: Generator<Y, T, void>, options: StepOptions<Y> = {}): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    options.onStep?.(step.value);
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (options.stop?.()) {
      steps.return(undefined as T);
      throw new StepsStopped();
    }
  }
}
