import {
  CaseDetailDocument,
  CaseDetailQuery,
  DataSharingConsentDocument,
  MyCaseloadDocument,
  OrganizationOfferingsDocument,
  RecordConsultationDocument,
  ReferralPartnersDocument,
  SendReferralDocument,
  type ClientError,
  type ConsultationMode,
  type LifeArea,
  type OrganizationKind,
} from '@integration-graph/client';
import { FormEvent, useState } from 'react';
import { ErrorMessage, formatDate, formatDateTime, Loading, Section, useRequest } from '../components/common';
import { enumLabel, useI18n } from '../i18n';
import { useSession } from '../session';

/** A counselling period ending within this many days is highlighted. */
export const ENDING_SOON_DAYS = 90;
const LIFE_AREAS: LifeArea[] = ['LANGUAGE', 'WORK', 'VOCATIONAL_TRAINING', 'STUDY', 'CHILDCARE', 'SCHOOL', 'HOUSING', 'RESIDENCE', 'HEALTH', 'LEISURE_CLUBS', 'SOCIAL_PARTICIPATION', 'FINANCES'];
const MODES: ConsultationMode[] = ['OFFICE', 'HOME_VISIT', 'PHONE', 'VIDEO', 'ACCOMPANIMENT', 'GROUP'];
const PARTNER_KINDS: OrganizationKind[] = ['JOBCENTER', 'EMPLOYMENT_AGENCY', 'LANGUAGE_COURSE_PROVIDER', 'IMMIGRATION_OFFICE', 'MIGRATION_COUNSELLING', 'YOUTH_MIGRATION_SERVICE', 'VOLUNTEER_GROUP', 'SCHOOL_AUTHORITY', 'HEALTH_SERVICE', 'OTHER'];

/** An idempotency key (crypto.randomUUID needs a secure context: https or localhost). */
const newKey = () => `console-${typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`}`;

const endingSoon = (days: number | null | undefined) => days !== null && days !== undefined && days >= 0 && days <= ENDING_SOON_DAYS;

export function Caseload() {
  const { t, language } = useI18n();
  const { graph } = useSession();
  const [reviewOverdue, setReviewOverdue] = useState(false);
  const [ending, setEnding] = useState(false);
  const caseload = useRequest(
    () => graph.request(MyCaseloadDocument, { first: 100, filter: { ...(reviewOverdue ? { reviewOverdue: true } : {}), ...(ending ? { periodEndingWithinDays: ENDING_SOON_DAYS } : {}) } }),
    [graph, reviewOverdue, ending],
  );
  const cases = caseload.result?.ok ? caseload.result.data.myCaseload.edges.map((e) => e.node) : [];
  return (
    <div>
      <h1>{t('casesTitle')}</h1>
      <fieldset className="filters">
        <legend>{t('filter')}</legend>
        <label className="checkbox">
          <input type="checkbox" checked={reviewOverdue} onChange={(e) => setReviewOverdue(e.target.checked)} /> {t('onlyReviewOverdue')}
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={ending} onChange={(e) => setEnding(e.target.checked)} /> {t('onlyEndingSoon')}
        </label>
      </fieldset>
      {caseload.loading ? <Loading /> : null}
      {caseload.result && !caseload.result.ok ? <ErrorMessage error={caseload.result.error} /> : null}
      <table className="list caseload">
        <caption>
          {t('casesTitle')}: {caseload.result?.ok ? caseload.result.data.myCaseload.totalCount : '…'}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('client')}</th>
            <th scope="col">{t('municipality')}</th>
            <th scope="col">{t('status')}</th>
            <th scope="col">{t('openedAt')}</th>
            <th scope="col">{t('periodEnds')}</th>
            <th scope="col">{t('nextReview')}</th>
            <th scope="col">{t('openGoals')}</th>
          </tr>
        </thead>
        <tbody>
          {cases.length === 0 && caseload.result?.ok ? (
            <tr><td colSpan={7}>{t('noCases')}</td></tr>
          ) : null}
          {cases.map((c) => (
            <tr key={c.id} data-case-id={c.id} className={[c.plan?.reviewOverdue ? 'warn-review' : '', endingSoon(c.periodEndsInDays) ? 'warn-ending' : ''].join(' ').trim()}>
              <th scope="row">
                <a href={`#/cases/${c.id}`}>{c.client ? `${c.client.familyName}, ${c.client.givenName}` : c.id}</a>
              </th>
              <td>{c.municipality?.name ?? '–'}</td>
              <td>{enumLabel(language, c.status)}</td>
              <td>{formatDate(c.openedAt, language)}</td>
              <td>
                {formatDate(c.periodEndsOn, language)}
                {endingSoon(c.periodEndsInDays) ? <strong className="badge warn" data-flag="ending"> {t('periodEndingSoon')} ({t('inDays', { n: c.periodEndsInDays! })})</strong> : null}
              </td>
              <td>
                {formatDate(c.plan?.nextReviewDue, language)}
                {c.plan?.reviewOverdue ? <strong className="badge alert" data-flag="review"> {t('reviewOverdue')}</strong> : null}
              </td>
              <td>{c.plan?.openGoalsByLifeArea.map((g) => `${enumLabel(language, g.lifeArea)} ${g.count}`).join(', ') || '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type CaseData = NonNullable<CaseDetailQuery['case']>;

function RecordConsultationForm({ caseData, onSaved }: { caseData: CaseData; onSaved: () => void }) {
  const { t, language } = useI18n();
  const { graph } = useSession();
  const now = new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  const [occurredAt, setOccurredAt] = useState(now);
  const [duration, setDuration] = useState('45');
  const [mode, setMode] = useState<ConsultationMode>('OFFICE');
  const [areas, setAreas] = useState<LifeArea[]>([]);
  const [interpreter, setInterpreter] = useState(false);
  const [note, setNote] = useState('');
  const [error, setError] = useState<ClientError | null>(null);
  const [saved, setSaved] = useState(false);
  // One key per form: a retry after a lost answer records the contact once.
  const [idempotencyKey] = useState(newKey);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setSaved(false);
    const result = await graph.request(RecordConsultationDocument, {
      input: { caseId: caseData.id, occurredAt: new Date(occurredAt).toISOString(), durationMinutes: Number(duration), mode, lifeAreas: areas, interpreterUsed: interpreter, ...(note ? { note } : {}), idempotencyKey },
    });
    if (!result.ok) return setError(result.error);
    setSaved(true);
    onSaved();
  };
  return (
    <form onSubmit={submit} className="card form" aria-labelledby="record-consultation">
      <h3 id="record-consultation">{t('recordConsultation')}</h3>
      <label>
        {t('occurredAt')}
        <input type="datetime-local" required value={occurredAt} onChange={(e) => setOccurredAt(e.target.value)} name="occurredAt" />
      </label>
      <label>
        {t('durationMinutes')}
        <input type="number" min={1} max={600} required value={duration} onChange={(e) => setDuration(e.target.value)} name="durationMinutes" />
      </label>
      <label>
        {t('mode')}
        <select value={mode} onChange={(e) => setMode(e.target.value as ConsultationMode)} name="mode">
          {MODES.map((m) => (
            <option key={m} value={m}>{enumLabel(language, m)}</option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>{t('lifeAreas')}</legend>
        {LIFE_AREAS.map((area) => (
          <label key={area} className="checkbox">
            <input type="checkbox" checked={areas.includes(area)} onChange={() => setAreas(areas.includes(area) ? areas.filter((a) => a !== area) : [...areas, area])} name={`area-${area}`} />
            {enumLabel(language, area)}
          </label>
        ))}
      </fieldset>
      <label className="checkbox">
        <input type="checkbox" checked={interpreter} onChange={(e) => setInterpreter(e.target.checked)} /> {t('interpreterUsed')}
      </label>
      <label>
        {t('note')}
        <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={3} name="note" />
      </label>
      <button type="submit" className="primary">{t('save')}</button>
      {saved ? <p role="status" className="success">{t('consultationSaved')}</p> : null}
      <ErrorMessage error={error} />
    </form>
  );
}

function SendReferralForm({ caseData, onSent }: { caseData: CaseData; onSent: () => void }) {
  const { t, language } = useI18n();
  const { graph } = useSession();
  const partners = useRequest(() => graph.request(ReferralPartnersDocument, { kinds: PARTNER_KINDS, first: 100 }), [graph]);
  const partnerList = partners.result?.ok ? partners.result.data.organizations.edges.map((e) => e.node) : [];
  const [partnerId, setPartnerId] = useState('');
  const [offeringId, setOfferingId] = useState('');
  const [lifeArea, setLifeArea] = useState<LifeArea>('LANGUAGE');
  const [goalId, setGoalId] = useState('');
  const [reason, setReason] = useState('');
  const [consent, setConsent] = useState<{ allowed: boolean; scope: string[]; reason?: string | null } | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const [sent, setSent] = useState(false);
  const [idempotencyKey, setIdempotencyKey] = useState(newKey);
  const offerings = useRequest(partnerId ? () => graph.request(OrganizationOfferingsDocument, { organizationId: partnerId }) : null, [graph, partnerId]);
  const partner = partnerList.find((p) => p.id === partnerId);
  const check = async () => {
    if (!partner) return;
    setError(null);
    const result = await graph.request(DataSharingConsentDocument, { caseId: caseData.id, recipientOrganizationId: partner.id, recipientKind: partner.kind.toLowerCase() });
    if (!result.ok) return setError(result.error);
    setConsent(result.data.dataSharingConsent);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setSent(false);
    const result = await graph.request(SendReferralDocument, {
      input: { caseId: caseData.id, partnerOrganizationId: partnerId, lifeArea, reason, idempotencyKey, ...(offeringId ? { offeringId } : {}), ...(goalId ? { goalId } : {}) },
    });
    if (!result.ok) return setError(result.error);
    setSent(true);
    setIdempotencyKey(newKey());
    onSent();
  };
  return (
    <form onSubmit={submit} className="card form" aria-labelledby="send-referral">
      <h3 id="send-referral">{t('sendReferral')}</h3>
      <label>
        {t('partner')}
        <select required value={partnerId} onChange={(e) => { setPartnerId(e.target.value); setOfferingId(''); setConsent(null); }} name="partner">
          <option value="">{t('choose')}</option>
          {partnerList.map((p) => (
            <option key={p.id} value={p.id}>{p.name}</option>
          ))}
        </select>
      </label>
      <label>
        {t('offering')}
        <select value={offeringId} onChange={(e) => setOfferingId(e.target.value)} name="offering">
          <option value="">–</option>
          {(offerings.result?.ok ? offerings.result.data.offerings.edges.map((e) => e.node) : []).map((o) => (
            <option key={o.id} value={o.id}>
              {o.title?.text ?? o.id} {o.startsOn ? `(${formatDate(o.startsOn, language)})` : ''}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('lifeArea')}
        <select value={lifeArea} onChange={(e) => setLifeArea(e.target.value as LifeArea)} name="lifeArea">
          {LIFE_AREAS.map((area) => (
            <option key={area} value={area}>{enumLabel(language, area)}</option>
          ))}
        </select>
      </label>
      <label>
        {t('goals')}
        <select value={goalId} onChange={(e) => setGoalId(e.target.value)} name="goal">
          <option value="">–</option>
          {(caseData.plan?.goals ?? []).filter((g) => g.status === 'OPEN' || g.status === 'IN_PROGRESS').map((g) => (
            <option key={g.id} value={g.id}>{enumLabel(language, g.lifeArea)}: {g.description}</option>
          ))}
        </select>
      </label>
      <label>
        {t('reason')}
        <input required value={reason} onChange={(e) => setReason(e.target.value)} name="reason" />
      </label>
      <div className="buttons">
        <button type="button" onClick={check} disabled={!partner}>
          {t('checkConsent')}
        </button>
        <button type="submit" className="primary">{t('send')}</button>
      </div>
      {consent ? (
        consent.allowed ? (
          <p role="status" className="success" data-consent="allowed">{t('consentOk', { scope: consent.scope.join(', ') })}</p>
        ) : (
          <p role="alert" className="error" data-consent="missing">{t('consentMissing')}: {consent.reason}</p>
        )
      ) : null}
      {sent ? <p role="status" className="success">{t('referralSent')}</p> : null}
      <ErrorMessage error={error} />
    </form>
  );
}

export function CaseDetail({ id }: { id: string }) {
  const { t, language } = useI18n();
  const { graph } = useSession();
  const detail = useRequest(() => graph.request(CaseDetailDocument, { id }, { purpose: 'Fallbearbeitung (Konsole)' }), [graph, id]);
  const c = detail.result?.ok ? detail.result.data.case : null;
  if (detail.loading && !c) return <Loading />;
  if (detail.result && !detail.result.ok) return <ErrorMessage error={detail.result.error} />;
  if (!c) return <p>{t('noCases')}</p>;
  const goalsByArea = new Map<string, NonNullable<CaseData['plan']>['goals']>();
  for (const goal of c.plan?.goals ?? []) goalsByArea.set(goal.lifeArea, [...(goalsByArea.get(goal.lifeArea) ?? []), goal]);
  const history = [
    ...(c.plan?.revisions.edges ?? []).map((e) => ({ at: e.node.createdAt, text: `${t('plan')} #${e.node.revision}: ${e.node.summary}` })),
    ...c.referrals.flatMap((r) => r.history.map((h) => ({ at: h.occurredAt, text: `${t('referrals')} → ${r.partner.name}: ${enumLabel(language, h.fromStatus)} → ${enumLabel(language, h.toStatus)}${h.comment ? ` (${h.comment})` : ''}` }))),
    ...c.consultations.edges.map((e) => ({ at: e.node.occurredAt, text: `${t('consultations')}: ${enumLabel(language, e.node.mode)}, ${e.node.durationMinutes} min` })),
  ].sort((a, b) => b.at.localeCompare(a.at));
  return (
    <div className="case" data-case-id={c.id}>
      <p className="no-print"><a href="#/cases">← {t('backToCaseload')}</a></p>
      <h1>
        {t('caseTitle')}: {c.client ? `${c.client.givenName} ${c.client.familyName}` : c.id}
      </h1>
      <dl className="facts">
        <div><dt>{t('status')}</dt><dd>{enumLabel(language, c.status)}</dd></div>
        <div><dt>{t('municipality')}</dt><dd>{c.municipality?.name ?? '–'}</dd></div>
        <div><dt>{t('openedAt')}</dt><dd>{formatDate(c.openedAt, language)}</dd></div>
        <div>
          <dt>{t('periodEnds')}</dt>
          <dd>
            {formatDate(c.periodEndsOn, language)} {endingSoon(c.periodEndsInDays) ? <strong className="badge warn">{t('periodEndingSoon')}</strong> : null}
          </dd>
        </div>
        <div>
          <dt>{t('nextReview')}</dt>
          <dd>
            {formatDate(c.plan?.nextReviewDue, language)} {c.plan?.reviewOverdue ? <strong className="badge alert">{t('reviewOverdue')}</strong> : null}
          </dd>
        </div>
      </dl>
      <div className="columns">
        <div>
          <Section title={`${t('plan')}: ${t('goals')}`} id="goals">
            {[...goalsByArea.entries()].map(([area, goals]) => (
              <div key={area} className="life-area">
                <h3>{enumLabel(language, area)}</h3>
                <ul>
                  {goals.map((goal) => (
                    <li key={goal.id}>
                      <strong>{goal.description}</strong> — {enumLabel(language, goal.status)}
                      {goal.targetDate ? `, ${formatDate(goal.targetDate, language)}` : ''}
                      {goal.measures.length ? (
                        <ul aria-label={t('measures')}>
                          {goal.measures.map((m) => (
                            <li key={m.id} className={m.isOverdue ? 'overdue' : ''}>
                              {m.description} ({enumLabel(language, m.responsible)}
                              {m.partnerOrganization ? `: ${m.partnerOrganization.name}` : ''}) — {m.doneOn ? `${t('doneOn')} ${formatDate(m.doneOn, language)}` : `${t('dueOn')} ${formatDate(m.dueOn, language)}`}
                            </li>
                          ))}
                        </ul>
                      ) : null}
                    </li>
                  ))}
                </ul>
              </div>
            ))}
            {goalsByArea.size === 0 ? <p>{t('none')}</p> : null}
          </Section>
          <Section title={t('referrals')} id="referrals">
            <ul className="referrals">
              {c.referrals.map((r) => (
                <li key={r.id} data-referral-id={r.id} data-status={r.status}>
                  {r.partner.name}: {enumLabel(language, r.lifeArea)} — <strong>{enumLabel(language, r.status)}</strong>
                  {r.sentAt ? ` (${formatDate(r.sentAt, language)})` : ''} {r.reason ? `— ${r.reason}` : ''}
                </li>
              ))}
            </ul>
            {c.referrals.length === 0 ? <p>{t('noReferrals')}</p> : null}
          </Section>
          <Section title={t('consultations')} id="consultations">
            <ul>
              {c.consultations.edges.map(({ node }) => (
                <li key={node.id}>
                  {formatDateTime(node.occurredAt, language)}: {enumLabel(language, node.mode)}, {node.durationMinutes} min
                  {node.lifeAreas.length ? ` — ${node.lifeAreas.map((a) => enumLabel(language, a)).join(', ')}` : ''}
                </li>
              ))}
            </ul>
          </Section>
          <Section title={t('consents')} id="consents">
            <ul>
              {c.consents.map((consent) => (
                <li key={consent.id}>
                  {enumLabel(language, consent.kind)}
                  {consent.recipientOrganization ? ` → ${consent.recipientOrganization.name}` : consent.recipientKind ? ` → ${consent.recipientKind}` : ''}: {consent.isValid ? '✓' : '✗'} {consent.scope.join(', ')}
                </li>
              ))}
            </ul>
          </Section>
          <Section title={t('history')} id="history">
            <ol className="history">
              {history.map((entry, i) => (
                <li key={i}>
                  {formatDateTime(entry.at, language)}: {entry.text}
                </li>
              ))}
            </ol>
          </Section>
        </div>
        <div>
          <RecordConsultationForm caseData={c} onSaved={detail.reload} />
          <SendReferralForm caseData={c} onSent={detail.reload} />
        </div>
      </div>
    </div>
  );
}
