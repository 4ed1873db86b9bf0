/// <reference lib="dom" />
// The functions passed to page.evaluate run in the browser, with its DOM.
import type { Page } from "playwright-core";

/**
 * What sticks out of the viewport sideways: the document's scroll width beyond the
 * window's, and the first few elements whose right edge passes it (named so a failure
 * says which). Empty when nothing scrolls sideways.
 */
export async function horizontalOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const problems: string[] = [];
    if (document.documentElement.scrollWidth > width) {
      problems.push(`document is ${document.documentElement.scrollWidth}px wide in ${width}px`);
    }
    for (const element of Array.from(document.body.querySelectorAll("*"))) {
      if (problems.length > 5) break;
      const box = element.getBoundingClientRect();
      // Inside a scroll box of its own (a wide table's wrapper), overflow is intended.
      let scroller = element.parentElement;
      while (scroller && getComputedStyle(scroller).overflowX === "visible") {
        scroller = scroller.parentElement;
      }
      const clipped = scroller !== null && scroller !== document.body;
      if (!clipped && box.width > 0 && box.right > width + 1) {
        const id = element.id ? `#${element.id}` : "";
        const cls =
          element.className && typeof element.className === "string"
            ? `.${element.className.split(" ")[0]}`
            : "";
        problems.push(
          `<${element.tagName.toLowerCase()}${id}${cls}> ends at ${Math.round(box.right)}px`,
        );
      }
    }
    return problems;
  });
}

export type FocusedElement = {
  tag: string;
  /** Its text or aria-label, trimmed: what a screen reader would roughly call it. */
  name: string;
  /** The focus ring: an outline or a box-shadow the element shows while focused. */
  ring: string;
};

/** The element that has the keyboard focus, and how its focus is drawn. */
export async function focused(page: Page): Promise<FocusedElement | null> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element);
    const outline =
      style.outlineStyle !== "none" && Number.parseFloat(style.outlineWidth) > 0
        ? `outline ${style.outlineWidth} ${style.outlineStyle} ${style.outlineColor}`
        : "";
    const shadow = style.boxShadow !== "none" ? `box-shadow ${style.boxShadow}` : "";
    const label =
      element.getAttribute("aria-label") ??
      (element instanceof HTMLInputElement || element instanceof HTMLSelectElement
        ? (element.labels?.[0]?.textContent ?? "")
        : (element.textContent ?? ""));
    return {
      tag: element.tagName.toLowerCase(),
      name: label.replace(/\s+/g, " ").trim(),
      ring: outline || shadow,
    };
  });
}

/**
 * Presses Tab until the focused element's name matches, as a keyboard user would move
 * through the page, checking on the way that every stop shows a focus ring. Fails naming
 * the stops it went through when the target never gets focus.
 */
export async function tabTo(page: Page, name: RegExp, maxStops = 60): Promise<FocusedElement> {
  const stops: string[] = [];
  for (let i = 0; i < maxStops; i++) {
    await page.keyboard.press("Tab");
    const now = await focused(page);
    if (!now) continue;
    stops.push(`${now.tag} "${now.name}"`);
    if (!now.ring) throw new Error(`no visible focus on ${now.tag} "${now.name}"`);
    if (name.test(now.name)) return now;
  }
  throw new Error(`Tab never reached ${name}; stops: ${stops.join(", ")}`);
}

/** Marks the page's document, so that `isSameDocument` can later tell it was never reloaded. */
export async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { sameDocument: boolean }).sameDocument = true;
  });
}

/** Whether the page still shows the document `markDocument` marked (no reload, no navigation away). */
export async function isSameDocument(page: Page): Promise<boolean> {
  return page.evaluate(
    () => (window as unknown as { sameDocument?: boolean }).sameDocument === true,
  );
}
