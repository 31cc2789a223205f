/**
 * People: search (two identifying fields at least) and the cross-agency person page. Every
 * record's visibility comes from the sharing module; a person the viewer may not know of is a 404.
 */
import { Router } from 'express';
import { trusted } from 'mongoose';
import { authenticate, currentUser, requireRole } from '../../middlewares/authenticate';
import { validate } from '../../middlewares/validate';
import { NotFoundError } from '../../errors';
import { Person } from '../../models/Person';
import { normaliseName, normalisePostcode } from '../../commands/personLinker';
import { buildPersonView, defaultPurpose } from '../../commands/personView';
import { presentPersonPage, presentSearchHit } from '../../presenters/person';
import { PRACTICE_ROLES } from '../../policies/people';
import { consentsRouter } from '../consents/router';
import { tellItOnceRouter } from './tellItOnce';
import { personLinksRouter } from './links';
import { personDecisionsRouter } from '../decisions/router';
import { personBreakGlassRouter } from '../breakGlass/router';
import { sarRouter } from '../sar/router';
import type { AppContext } from '../../context';
import { IdParams } from '../common';
import { PersonQuery, SearchQuery, type SearchQueryType } from './schema';
import type { PurposeId } from '../../sharing';
import { auditDenied, auditPersonView, auditSearch, userActor } from '../../commands/auditTrail';

/** Most people a search returns. */
const SEARCH_LIMIT = 20;

function termsOf(q: SearchQueryType): string[] {
  const terms: string[] = [];
  if (q.familyName) terms.push(`f:${normaliseName(q.familyName)}`);
  if (q.givenName) terms.push(`g:${normaliseName(q.givenName)}`);
  if (q.dateOfBirth) terms.push(`d:${q.dateOfBirth}`);
  if (q.postcode) terms.push(`p:${normalisePostcode(q.postcode)}`);
  if (q.nhsNumber) terms.push(`n:${q.nhsNumber}`);
  return terms;
}

/** The /api/people router. */
export function peopleRouter(ctx: AppContext): Router {
  const router = Router();
  const viewers = [...PRACTICE_ROLES, 'ig_lead'] as const;

  router.get('/search', authenticate(), requireRole(...viewers), validate(SearchQuery, 'query'), async (req, res) => {
    const user = currentUser(req);
    const q = req.query as unknown as SearchQueryType;
    const purpose = (q.purpose ?? defaultPurpose(user)) as PurposeId;
    const people = await Person.find({ searchTerms: trusted({ $all: termsOf(q) }), mergedInto: null }).limit(SEARCH_LIMIT);
    const now = new Date();
    const views = await Promise.all(people.map((p) => buildPersonView(user, p, purpose, now)));
    const visible = views.filter((v) => !v.hidden);
    const fields = ['givenName', 'familyName', 'dateOfBirth', 'nhsNumber', 'postcode'].filter((k) => q[k as keyof SearchQueryType]);
    await auditSearch(req, user, fields, purpose, visible.length);
    res.json({ purpose, results: visible.map(presentSearchHit) });
  });

  router.get('/:id', authenticate(), requireRole(...viewers), validate(IdParams, 'params'), validate(PersonQuery, 'query'), async (req, res) => {
    const user = currentUser(req);
    const { purpose } = req.query as { purpose?: PurposeId };
    const id = (req.params as { id: string }).id;
    const person = await Person.findOne({ _id: id, mergedInto: null });
    const view = person ? await buildPersonView(user, person, purpose ?? defaultPurpose(user)) : null;
    if (!view || view.hidden) {
      await auditDenied(req, userActor(user), { type: 'person', id, personId: person?._id }, person ? 'no_basis' : 'not_found');
      throw new NotFoundError('No such person.');
    }
    await auditPersonView(req, user, view);
    res.json({ person: presentPersonPage(view) });
  });

  router.use('/:id/consents', consentsRouter(ctx));
  router.use('/:id/sar', sarRouter(ctx));
  router.use('/:id/tell-it-once', tellItOnceRouter());
  router.use('/:id/decisions', personDecisionsRouter(ctx));
  router.use('/:id/break-glass', personBreakGlassRouter(ctx));
  router.use('/:id', personLinksRouter(ctx));
  return router;
}
