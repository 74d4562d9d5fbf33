// Long work in the extension host, in steps: the core's generators (reading a deployment file, evaluating the rules)
// yield after each slice, and the extension host runs whatever waits (other extensions, VS Code's messages) in between.

/** Runs `steps` to its end, letting the extension host run other work between two steps. */
export async function inSteps<T>(steps: Generator<void, T, void>): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
