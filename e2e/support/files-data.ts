/** Facts about the file browser's test images (seed-files.ts makes them, files.spec.ts checks them). */

/** Files in `files/big:v1` (in 100 × 10 directories). */
export const BIG_FILES = 100_000;
/** The one file with content in `files/big:v1`. */
export const NEEDLE = 'd073/s4/needle-in-the-haystack.txt';
/** Size of `big/large.txt` in `files/tour:v1`: more than the viewer's 1 MiB. */
export const LARGE_TEXT_BYTES = 1536 * 1024;
