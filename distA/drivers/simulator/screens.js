// The text the simulated 6600 EDS prints: banner, menu screens (as the NetBEAMS team re-typed them, painted
// with VT100 clear/home codes like the real firmware), and the header block of a `run` page.
export const CRLF = '\r\n';
export const CLEAR_SCREEN = '\x1b[2J\x1b[1;1H';
export const PROMPT = '# ';
export const MENU_PROMPT = 'Select option (0 for previous menu): ';
export function banner() {
    return [
        'YSI Water Quality Systems Model 6600EDS',
        'Version 3.06 03-06-2007 11:11:36',
        'Copyright (c) 1992-2006 YSI Incorporated.',
        'All rights reserved.',
        '',
        'Type MENU<Enter> for instrument menu.',
    ].join(CRLF);
}
const MENUS = {
    main: [
        '-----------------Main------------------',
        '1-Run                    5-System',
        '2-Calibrate              6-Report',
        '3-File                   7-Sensor',
        '4-Status                 8-Advanced',
    ],
    run: ['---------------Run setup---------------', '1-Discrete sample', '2-Unattended sample'],
    discrete: [
        '------------Discrete sample------------',
        '1-Start sampling',
        '2-Sample interval=',
        '3-File=',
        '4-Site=',
        '5-Open file',
    ],
};
export function menuScreen(menu, intervalS, fileName = '') {
    const lines = MENUS[menu].map((l) => l === '2-Sample interval=' ? `${l}${intervalS}` : l === '3-File=' ? `${l}${fileName}` : l);
    return screen(lines);
}
/** A menu screen: cleared, its lines, a blank line, the menu prompt. */
export function screen(lines) {
    return CLEAR_SCREEN + lines.join(CRLF) + CRLF + CRLF + MENU_PROMPT;
}
/** Header block: `=` rule, right-aligned names, units, `-` rule. */
export function headerBlock(dateUnit, columns) {
    const names = ['Date', 'Time', ...columns.map((c) => c.name)];
    const units = [dateUnit, 'hh:mm:ss', ...columns.map((c) => c.unit)];
    const widths = names.map((_, i) => (i === 0 ? 10 : 9));
    const row = (cells) => cells.map((c, i) => c.padStart(widths[i])).join('');
    const width = widths.reduce((a, b) => a + b, 0);
    return ['='.repeat(width), row(names), row(units), '-'.repeat(width)].join(CRLF) + CRLF;
}
/** A data row aligned under headerBlock's columns. */
export function dataRow(date, time, cells) {
    return date.padStart(10) + time.padStart(9) + cells.map((c) => c.padStart(9)).join('');
}
//# sourceMappingURL=screens.js.map