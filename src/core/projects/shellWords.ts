/**
 * Splits a command template into argument words the way a POSIX shell would, without being one:
 * quotes and backslashes are honoured, `$`, backticks, `~` and globs stay literal, and operators
 * (`;`, `|`, `&&`, `>`, a line break between commands...) are reported, because running the
 * command without a shell cannot honour them and running it with one would let values escape.
 */

export interface ShellWord {
  text: string;
  start: number;
  end: number;
}

export interface ShellProblem {
  kind: 'operator' | 'syntax';
  start: number;
  end: number;
  message: string;
}

export interface ShellSplit {
  words: ShellWord[];
  problems: ShellProblem[];
}

export const NO_SHELL_MESSAGE =
  'MLproject commands run without a shell; split this command or use a script';

const OPERATOR_CHARS = ';&|<>()';
const BLANKS = ' \t\r';

export function splitShellWords(template: string): ShellSplit {
  return new Splitter(template).split();
}

class Splitter {
  private readonly words: ShellWord[] = [];
  private readonly problems: ShellProblem[] = [];
  private word: ShellWord | undefined;

  constructor(private readonly template: string) {}

  split(): ShellSplit {
    let at = 0;
    while (at < this.template.length) at = this.step(at);
    this.finishWord(this.template.length);
    return { words: this.words, problems: this.problems };
  }

  /** Consumes what starts at `at` and returns where the next step starts. */
  private step(at: number): number {
    const char = this.template[at];
    if (BLANKS.includes(char)) return this.finishWord(at) + 1;
    if (char === '\n') return this.lineBreak(at);
    if (char === "'") return this.singleQuoted(at);
    if (char === '"') return this.doubleQuoted(at);
    if (char === '\\') return this.escaped(at);
    if (OPERATOR_CHARS.includes(char)) return this.operator(at);
    if (char === '#' && !this.word) return this.comment(at);
    this.append(char, at, at + 1);
    return at + 1;
  }

  private singleQuoted(open: number): number {
    const close = this.template.indexOf("'", open + 1);
    if (close < 0) return this.unterminated(open, 'single quote', "'");
    this.append(this.template.slice(open + 1, close), open, close + 1);
    return close + 1;
  }

  private doubleQuoted(open: number): number {
    let text = '';
    let at = open + 1;
    while (at < this.template.length && this.template[at] !== '"') {
      const next = this.template[at + 1];
      // Inside double quotes a backslash escapes only these; before anything else it is literal.
      if (this.template[at] === '\\' && next !== undefined && '$`"\\\n'.includes(next)) {
        text += next === '\n' ? '' : next;
        at += 2;
      } else {
        text += this.template[at++];
      }
    }
    if (at >= this.template.length) return this.unterminated(open, 'double quote', '"');
    this.append(text, open, at + 1);
    return at + 1;
  }

  private escaped(at: number): number {
    const next = this.template[at + 1];
    if (next === undefined) {
      this.append('\\', at, at + 1);
      return at + 1;
    }
    // A backslash before a line break joins the lines, as in a shell script.
    if (next !== '\n') this.append(next, at, at + 2);
    return at + 2;
  }

  private operator(at: number): number {
    let end = at + 1;
    while (end < this.template.length && OPERATOR_CHARS.includes(this.template[end])) end++;
    const found = this.template.slice(at, end);
    this.report('operator', at, end, `${NO_SHELL_MESSAGE} (found '${found}')`);
    this.finishWord(at);
    return end;
  }

  /** A line break separates commands in a shell, unless nothing but blanks follows it. */
  private lineBreak(at: number): number {
    this.finishWord(at);
    const rest = this.template.slice(at + 1).trim();
    const before = this.words.length > 0;
    if (before && rest !== '' && !rest.startsWith('#')) {
      this.report('operator', at, at + 1, `${NO_SHELL_MESSAGE} (found a line break)`);
    }
    return at + 1;
  }

  private comment(at: number): number {
    const end = this.template.indexOf('\n', at);
    return end < 0 ? this.template.length : end;
  }

  private unterminated(open: number, what: string, quote: string): number {
    this.report(
      'syntax',
      open,
      this.template.length,
      `Unterminated ${what}; close it with ${quote}`,
    );
    return this.template.length;
  }

  private append(text: string, start: number, end: number): void {
    this.word ??= { text: '', start, end };
    this.word.text += text;
    this.word.end = end;
  }

  private finishWord(at: number): number {
    if (this.word) this.words.push(this.word);
    this.word = undefined;
    return at;
  }

  private report(kind: ShellProblem['kind'], start: number, end: number, message: string): void {
    this.problems.push({ kind, start, end, message });
  }
}
