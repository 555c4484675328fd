/** The API version the extension checks for compatibility (major must match). */
export const API_VERSION = "1.0.0";
