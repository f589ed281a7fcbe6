import { describe, expect, it } from 'vitest';
import { quietCode, quietText } from './quiet-text.js';

const Z = '\u200b';

describe('quietText', () => {
  it('defuses mentions, references, URLs and www hosts, and flattens lines', () => {
    expect(quietText('ping @acme/platform about #12\nnow')).toBe(`ping @${Z}acme/platform about #${Z}12 now`);
    expect(quietText('mail a@b.example')).toBe(`mail a@${Z}b.example`);
    expect(quietText('see https://evil.test/x and www.evil.test')).toBe(
      `see https:${Z}//evil.test/x and www${Z}.evil.test`,
    );
  });

  it('escapes Markdown and HTML: no images, links, emphasis, tags, entities or table breaks', () => {
    expect(quietText('![x](http://evil.test/p.png)')).toBe(`\\!\\[x\\](http:${Z}//evil.test/p.png)`);
    expect(quietText('[click](javascript:alert(1)) **bold** <img src=x> &#64;root | cell `code`')).toBe(
      `\\[click\\](javascript:alert(1)) \\*\\*bold\\*\\* \\<img src=x\\> \\&#${Z}64;root \\| cell \\\`code\\\``,
    );
  });

  it('bounds the length by characters and hides controls and bidirectional overrides', () => {
    expect(quietText('x'.repeat(400))).toBe(`${'x'.repeat(300)}…`);
    expect(Array.from(quietText('😀'.repeat(20), 10))).toHaveLength(11);
    expect(quietText('a\u202Eb\u0000c\u0085d')).toBe('a b c d');
  });
});

describe('quietCode', () => {
  it('keeps the text in one code span it cannot leave, bounded', () => {
    expect(quietCode('idx-1')).toBe('`idx-1`');
    expect(quietCode('a` @everyone ![x](y) `b')).toBe('`a  @everyone ![x](y)  b`');
    expect(quietCode('x|y\nz')).toBe('`x y z`');
    expect(quietCode('`')).toBe('` `');
    expect(quietCode('y'.repeat(150))).toBe(`\`${'y'.repeat(100)}…\``);
  });
});
