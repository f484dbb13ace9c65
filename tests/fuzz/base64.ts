/**
 * Base64 for reproducer files (JSON cannot hold raw bytes), with the web
 * built-ins only.
 *
 * @module
 */

/** Bytes to base64 text. */
export function encodeBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return btoa(s);
}

/** Base64 text to bytes. */
export function decodeBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
