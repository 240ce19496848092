// The only module that touches the wasm core. Views receive the loaded Playground object from main.js and
// call its methods (curve, kinks, createSession, ...); they never import the generated files themselves.
import { loadPlayground, PlaygroundError } from '../../generated/playground.mjs';
// Vite emits the .wasm as a hashed asset and gives its URL relative to the page's base, so the site
// works under any sub-path; Emscripten's loader is told where it is instead of guessing.
import wasmUrl from '../../generated/ap_core.wasm?url';

let loading = null;

/** Loads the core once; every caller gets the same Playground. Rejects with a readable Error. */
export function loadEngine() {
  loading ??= loadPlayground({
    locateFile: (file, prefix) => (file.endsWith('.wasm') ? wasmUrl : prefix + file),
  });
  return loading;
}

/** The message to show for anything the engine threw: its own text for PlaygroundError, else a generic one. */
export function errorMessage(error) {
  if (error instanceof PlaygroundError) return error.message;
  return `Unexpected error: ${error?.message ?? String(error)}`;
}

export { PlaygroundError };
