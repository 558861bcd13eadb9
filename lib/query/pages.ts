/**
 * Reading every page of a paged API answer (`next` is the cursor to pass as `last`), the one loop shared by
 * the query options of the browser and of the server's prefetch. Pure.
 */

/** What a page must say about the pages after it. */
export interface Paged {
  /** Cursor of the next page, null at the end. */
  next: string | null;
}

/**
 * Every page, in order: `fetchPage(undefined)`, then `fetchPage(next)` until `next` is null. A cursor that
 * does not advance (a server bug) ends the reading instead of looping for ever.
 */
export async function readAllPages<P extends Paged>(fetchPage: (last: string | undefined) => Promise<P>): Promise<P[]> {
  const pages: P[] = [];
  let last: string | undefined;
  for (;;) {
    const page = await fetchPage(last);
    pages.push(page);
    if (!page.next || page.next === last) return pages;
    last = page.next;
  }
}
