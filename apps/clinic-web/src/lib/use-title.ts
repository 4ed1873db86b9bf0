import { useEffect } from "react";

/** Sets the tab's title for the page on screen. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title;
  }, [title]);
}
