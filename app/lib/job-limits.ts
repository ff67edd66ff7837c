// Limits of the job views, shared by loaders (which enforce them) and pages (which link within them).

/** How many orchestrators the compare page takes. */
export const MIN_COMPARE = 2;
export const MAX_COMPARE = 4;

/** Hourly series cover at most this many days (336 points a line). */
export const MAX_HOURLY_DAYS = 14;
/** Default range of an hourly series, and the range a page narrows to when switching to hours. */
export const DEFAULT_HOURLY_DAYS = 7;
