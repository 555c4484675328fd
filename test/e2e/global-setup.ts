/**
 * Builds the Chrome MV3 extension once before the end-to-end files run (they run one after another: each starts its
 * own server and Chromium, and sharing a build keeps them from overwriting .output/ under each other).
 */
import { buildExtension, requireChromium } from "./harness";

export default function setup(): void {
  requireChromium();
  buildExtension();
}
