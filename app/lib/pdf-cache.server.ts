// Rendered report PDFs, kept in memory: a saved report is frozen, so its PDF never changes and is
// rendered once per process. At most MAX_PDFS are kept (least recently used dropped first); a PDF
// is a few hundred KB, so the cache stays under ~10 MB.
const MAX_PDFS = 24;
const pdfs = new Map<string, Uint8Array>();

export function cachedPdf(id: string): Uint8Array | null {
  const pdf = pdfs.get(id);
  if (!pdf) return null;
  pdfs.delete(id);
  pdfs.set(id, pdf);
  return pdf;
}

export function keepPdf(id: string, pdf: Uint8Array): Uint8Array {
  pdfs.delete(id);
  pdfs.set(id, pdf);
  while (pdfs.size > MAX_PDFS) pdfs.delete(pdfs.keys().next().value as string);
  return pdf;
}

export function forgetPdfs(): void {
  pdfs.clear();
}
