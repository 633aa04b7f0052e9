/** Test support: catching what a call throws. */

/** Catches the error `act` throws, failing the test when it throws nothing. */
export function thrownBy(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('Expected the call to throw.');
}
