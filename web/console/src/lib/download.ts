/**
 * Saving a file the services answer: a download needs the bearer token, so a plain link cannot fetch it; the
 * screen fetches it through the client (token, refresh and retry, errors as ProblemError) with `parseAs: "blob"`
 * and hands it to the browser under its own name.
 */
export function saveFile(blob: Blob, filename: string): void {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // revoked after the browser has started reading it
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
