import { type EntityMatcher, originOf } from '../catalog/match-entities.js';
import type { Origin } from '../catalog/types.js';
import type { StoredModel } from '../store/model-list-repository.js';

/** Where a ranked model's tokens go: its lab's origin and its openness, or unattributed. */
export interface Attribution {
  origin: Origin | 'unattributed';
  openness: 'open' | 'closed' | 'unattributed';
}

const UNATTRIBUTED: Attribution = { origin: 'unattributed', openness: 'unattributed' };

/**
 * Maps a rankings `model_permaslug` to origin and openness: the model through the list's
 * `canonical_slug` (else its id), its lab through the author prefix and the catalog, openness from the
 * list (`hugging_face_id` set → open) or, for a model the list no longer has, from the catalog. The
 * `other` row (the long tail) is unattributed. Results are memoized per slug.
 */
export function createAttribution(
  models: StoredModel[],
  matcher: EntityMatcher,
  authors: Map<string, string>,
): (permaslug: string) => Attribution {
  const bySlug = new Map<string, StoredModel>();
  for (const m of models) bySlug.set(m.modelId, m);
  for (const m of models) if (m.canonicalSlug) bySlug.set(m.canonicalSlug, m);
  const memo = new Map<string, Attribution>();
  const attribute = (raw: string): Attribution => {
    const slug = raw.trim().toLowerCase();
    if (slug === 'other' || !slug.includes('/')) return UNATTRIBUTED;
    const model = bySlug.get(slug) ?? bySlug.get(slug.split(':')[0] as string);
    const author = (model?.author ?? slug.split('/')[0] ?? '').toLowerCase();
    const labId = authors.get(author);
    const lab = labId ? matcher.lab(labId) : undefined;
    const origin = lab ? originOf(lab.country) : 'unattributed';
    if (model) return { origin, openness: model.huggingFaceId ? 'open' : 'closed' };
    if (!lab) return { origin, openness: 'unattributed' };
    if (lab.openness === 'closed') return { origin, openness: 'closed' };
    if (lab.openness !== 'mixed') return { origin, openness: 'open' };
    // A lab that ships both kinds: the family the slug names decides, when the catalog knows it.
    const name = (slug.split('/')[1] ?? '').replace(/[-_]/g, ' ');
    const kinds = new Set(
      matcher
        .match(`${lab.name} ${name}`, 'AI model')
        .openness.map((o) => (o === 'closed' ? 'closed' : o === 'mixed' ? 'mixed' : 'open')),
    );
    const only = kinds.size === 1 ? [...kinds][0] : undefined;
    return { origin, openness: only === 'open' || only === 'closed' ? only : 'unattributed' };
  };
  return (slug) => {
    let a = memo.get(slug);
    if (!a) {
      a = attribute(slug);
      memo.set(slug, a);
    }
    return a;
  };
}
