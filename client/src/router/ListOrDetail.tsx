import type { ComponentType } from 'react';
import { useLocation } from './history';
import { NotFoundPage } from '../pages/NotFoundPage';

/**
 * A nav row that owns `base` (the list) and `base/:id` (one item). The item page is keyed by its
 * id, so moving to another item starts with fresh state; anything deeper, or an id that does not
 * decode, is not found.
 */
export function ListOrDetail({ base, List, Detail }: { base: string; List: ComponentType; Detail: ComponentType<{ id: string }> }) {
  const { pathname } = useLocation();
  const rest = pathname.replace(/\/+$/, '').slice(base.length).split('/').filter(Boolean);
  if (rest.length === 0) return <List />;
  if (rest.length > 1) return <NotFoundPage />;
  let id: string;
  try {
    id = decodeURIComponent(rest[0]);
  } catch {
    return <NotFoundPage />;
  }
  return <Detail key={id} id={id} />;
}
