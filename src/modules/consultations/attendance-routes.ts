import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { ValidationError } from '../../platform/errors.js';
import { signInFirst } from '../account/account-routes.js';
import { pathId } from '../content/shared/ids.js';
import type { IdReq } from './admin-routes.js';
import { attendanceSheet, myAttendance, recordAttendance } from './attendance-service.js';
import { AttendanceSheetPage, MyAttendancePage } from './pages/attendance-pages.js';
import { view } from './view.js';

// Attendance of invited participants: the staff's list (tick who came) and a participant's
// own sign-in code. Both are personal pages, never cached.

export const attendanceRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const db = () => ctx.database.db;

  const sheet = async (req: IdReq, reply: FastifyReply, user: CurrentUser, id: number, o: { issues?: ValidationError['issues']; status?: number } = {}) => {
    const { c, rows } = await attendanceSheet(db(), user, id);
    const a = req.t.consultationsAttendance;
    const notice = req.query.done === 'none' ? a.nothingChanged : req.query.done === 'saved' ? a.saved : null;
    return reply.page(view(AttendanceSheetPage, { c, rows, notice, issues: o.issues }), o.status ?? 200);
  };

  app.get('/admin/consultations/:id/attendance', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    const user = signInFirst(req, reply);
    return user ? sheet(req, reply, user, id) : reply;
  });

  app.post('/admin/consultations/:id/attendance', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    try {
      const r = await recordAttendance(ctx, req.user, id, req.body);
      const done = r.present.length || r.absent.length ? 'saved' : 'none';
      return reply.redirect(`/admin/consultations/${id}/attendance?done=${done}`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError) || !req.user) throw err;
      return sheet(req, reply, req.user, id, { issues: err.issues, status: 400 });
    }
  });

  app.get('/consultations/:id/attendance', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    const user = signInFirst(req, reply);
    if (!user) return reply;
    return reply.page(view(MyAttendancePage, { me: await myAttendance(ctx, user, id) }));
  });
};
