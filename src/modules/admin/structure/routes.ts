import type { FastifyPluginAsync } from 'fastify';
import { view } from '../form.js';
import { requireAdmin } from '../access.js';
import { registerCrud } from '../crud.js';
import { bodyTree, createBody, getBody, listBodies, updateBody } from './bodies-service.js';
import { BodiesPage, BodyFormPage } from './pages/bodies.js';
import { RegionFormPage, RegionsPage } from './pages/regions.js';
import { SectorFormPage, SectorsPage } from './pages/sectors.js';
import { TermFormPage, TermsPage } from './pages/terms.js';
import { createRegion, deleteRegion, getRegion, listRegions, regionTree, updateRegion } from './regions-service.js';
import { createSector, getSector, listSectors, updateSector } from './sectors-service.js';
import { createTerm, getTerm, listTerms, updateTerm } from './terms-service.js';
import { parseId } from '../access.js';

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));

export const structureRoutes: FastifyPluginAsync = async (app) => {
  registerCrud(app, {
    path: 'regions',
    list: async (db, user, done) => view(RegionsPage, { regions: await listRegions(db, user), done }),
    form: async (db, user, id, form, query) => {
      const regions = await listRegions(db, user);
      if (id === null && form.values && form.values.parentId === undefined && typeof query.parent === 'string') form.values.parentId = query.parent;
      return view(RegionFormPage, { id, form, regions });
    },
    values: async (db, user, id) => {
      const r = await getRegion(db, user, id);
      return { name: r.name, nameEn: str(r.nameEn), code: str(r.code), parentId: str(r.parentId) };
    },
    create: createRegion,
    update: updateRegion,
  });
  app.post<{ Params: { id: string } }>('/admin/regions/:id/delete', async (req, reply) => {
    await deleteRegion(app.ctx, req.user, parseId(req.params.id));
    return reply.redirect('/admin/regions?done=deleted', 303);
  });

  registerCrud(app, {
    path: 'bodies',
    list: async (db, user, done) => view(BodiesPage, { bodies: await listBodies(db, user), done }),
    form: async (db, user, id, form) => {
      await requireAdmin(db, user, 'admin.structure');
      return view(BodyFormPage, { id, form, bodies: await bodyTree(db), regions: await regionTree(db) });
    },
    values: async (db, user, id) => {
      const b = await getBody(db, user, id);
      return { kind: b.kind, name: b.name, nameEn: str(b.nameEn), parentId: str(b.parentId), regionId: str(b.regionId), description: b.description, sort: b.sort };
    },
    create: createBody,
    update: updateBody,
  });

  registerCrud(app, {
    path: 'sectors',
    list: async (db, user, done) => view(SectorsPage, { sectors: await listSectors(db, user), done }),
    form: async (db, user, id, form) => {
      await requireAdmin(db, user, 'admin.structure');
      return view(SectorFormPage, { id, form });
    },
    values: async (db, user, id) => {
      const s = await getSector(db, user, id);
      return { name: s.name, nameEn: str(s.nameEn), sort: s.sort };
    },
    create: createSector,
    update: updateSector,
  });

  registerCrud(app, {
    path: 'terms',
    list: async (db, user, done) => view(TermsPage, { terms: await listTerms(db, user), done }),
    form: async (db, user, id, form) => {
      await requireAdmin(db, user, 'admin.structure');
      return view(TermFormPage, { id, form });
    },
    values: async (db, user, id) => {
      const r = await getTerm(db, user, id);
      return { number: r.number, name: r.name, startsOn: r.startsOn, endsOn: str(r.endsOn) };
    },
    create: createTerm,
    update: updateTerm,
  });
};
