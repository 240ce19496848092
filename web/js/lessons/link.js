// A teacher's lesson in a link: '#/lessons/own?lesson=<base64url of the UTF-8 JSON>'. The link carries the
// whole lesson, so it needs no server; its size is bounded well below the file's, since links travel
// through mail and chat apps that cut long ones.
export const MAX_LINK_LESSON_BYTES = 24000;
const MAX_LINK_CHARS = Math.ceil((MAX_LINK_LESSON_BYTES * 4) / 3);

/** The link parameter for a lesson's JSON text; throws with the size when it is too long for a link. */
export function encodeLessonLink(text) {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > MAX_LINK_LESSON_BYTES)
    throw new Error(`this lesson is ${bytes.length} bytes, too long for a link (at most ${MAX_LINK_LESSON_BYTES}); share the file instead`);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The JSON text a link parameter carries; throws with a message that says what is wrong with it. */
export function decodeLessonLink(param) {
  if (param.length > MAX_LINK_CHARS) throw new Error(`the lesson in the link is longer than ${MAX_LINK_LESSON_BYTES} bytes`);
  const bad = /[^A-Za-z0-9_-]/.exec(param);
  if (bad) throw new Error(`the lesson in the link is not base64url: it holds "${bad[0]}" at character ${bad.index + 1}`);
  if (param.length % 4 === 1) throw new Error('the lesson in the link is cut short (its base64url length is impossible)');
  const binary = atob(param.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return utf8(bytes, 'the lesson in the link');
}

/** Bytes as UTF-8 text, refusing anything else rather than showing replacement characters. */
export function utf8(bytes, what) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${what} is not UTF-8 text`);
  }
}
