import type { ReactNode } from 'react';
import './badge.css';

/**
 * A short status word in a pill. The words carry the meaning; tone only adds colour and a
 * border style, so it never relies on colour alone.
 */
export function Badge({ tone = 'neutral', children }: { tone?: 'neutral' | 'good' | 'warn' | 'muted'; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}
