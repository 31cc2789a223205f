import { Router } from 'express';
import { authenticate, currentUser } from '../middlewares/authenticate';
import { Agency } from '../models/Agency';
import { presentUser } from '../presenters/user';

/** `GET /api/me`: the signed-in user. */
export function meRouter(): Router {
  const router = Router();
  router.get('/', authenticate({ allowMfaEnrolment: true }), async (req, res) => {
    const user = currentUser(req);
    res.json({ user: presentUser(user, await Agency.findById(user.agencyId)) });
  });
  return router;
}
