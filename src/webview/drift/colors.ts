import { isDark, runColor } from '../common/theme';

/**
 * The drift panel's colors, from the theme's chart palette (--vscode-charts-*), read each time a
 * chart is drawn so a theme change shows on the next draw.
 */
function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

export function sideColors(): { reference: string; current: string } {
  return {
    reference: cssVar('--vscode-charts-blue', isDark() ? '#3794ff' : '#1a85ff'),
    current: cssVar('--vscode-charts-orange', isDark() ? '#d18616' : '#c27d1a'),
  };
}

const DETECTOR_PALETTE = [
  ['--vscode-charts-red', '#f14c4c'],
  ['--vscode-charts-purple', '#b180d7'],
  ['--vscode-charts-green', '#89d185'],
  ['--vscode-charts-yellow', '#cca700'],
  ['--vscode-charts-blue', '#3794ff'],
  ['--vscode-charts-orange', '#d18616'],
] as const;

/** The streaming detectors' colors, one each, in their order in the report. */
export function detectorColor(index: number): string {
  const entry = DETECTOR_PALETTE[index];
  return entry ? cssVar(entry[0], entry[1]) : runColor(index);
}
