import { describe, expect, it } from 'vitest';
import { quietText } from './quiet-text.js';

describe('quietText', () => {
  it('defuses mentions and references, flattens lines and table pipes, and bounds length', () => {
    expect(quietText('ping @acme/platform about #12\nnow | later')).toBe(
      'ping @\u200dacme/platform about #\u200d12 now \\| later',
    );
    expect(quietText('x'.repeat(400))).toHaveLength(301);
    expect(quietText('mail a@b')).toBe('mail a@\u200db');
  });
});
