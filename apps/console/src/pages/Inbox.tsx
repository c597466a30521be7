import {
  AcceptReferralDocument,
  CompleteReferralDocument,
  DeclineReferralDocument,
  FailReferralDocument,
  HoldReferralDocument,
  IncomingReferralFragment,
  IncomingReferralsDocument,
  MarkReferralNoShowDocument,
  OpenReferralDocument,
  ScheduleReferralDocument,
  StartReferralDocument,
  WaitlistReferralDocument,
  type ClientError,
  type DeclineReason,
  type FailureReason,
  type LanguageLevel,
  type OutcomeCode,
  type ReferralStatus,
  type Result,
} from '@integration-graph/client';
import { FormEvent, useState } from 'react';
import { ErrorMessage, formatDate, formatDateTime, Loading, useRequest } from '../components/common';
import { enumLabel, useI18n } from '../i18n';
import { useSession } from '../session';

const FILTER_STATUSES: ReferralStatus[] = ['SENT', 'RECEIVED', 'ACCEPTED', 'WAITLISTED', 'SCHEDULED', 'IN_PROGRESS', 'ON_HOLD', 'COMPLETED', 'DECLINED', 'FAILED', 'NO_SHOW', 'CANCELLED', 'EXPIRED'];
const DECLINE_REASONS: DeclineReason[] = ['NO_CAPACITY', 'NOT_ELIGIBLE', 'NOT_RESPONSIBLE', 'CLIENT_UNREACHABLE', 'DUPLICATE', 'OTHER'];
const FAILURE_REASONS: FailureReason[] = ['DROPPED_OUT', 'MOVED_AWAY', 'HEALTH', 'SERVICE_ENDED', 'OTHER'];
const OUTCOMES: OutcomeCode[] = ['LEVEL_REACHED', 'CERTIFICATE', 'PLACED_IN_WORK', 'PLACED_IN_TRAINING', 'PLACED_IN_MEASURE', 'SERVICE_PROVIDED', 'NOT_RECORDED'];
const LEVELS: LanguageLevel[] = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'];

const ACTION_LABELS: Record<string, Record<string, string>> = {
  de: { RECEIVED: 'Als geöffnet markieren', ACCEPTED: 'Annehmen', DECLINED: 'Ablehnen', WAITLISTED: 'Auf die Warteliste', SCHEDULED: 'Beginn festlegen', IN_PROGRESS: 'Beginn melden', ON_HOLD: 'Unterbrechen', COMPLETED: 'Abschließen', FAILED: 'Abbruch melden', NO_SHOW: 'Nicht erschienen' },
  en: { RECEIVED: 'Mark as opened', ACCEPTED: 'Accept', DECLINED: 'Decline', WAITLISTED: 'Put on the waiting list', SCHEDULED: 'Set the start', IN_PROGRESS: 'Report the start', ON_HOLD: 'Put on hold', COMPLETED: 'Complete', FAILED: 'Report failure', NO_SHOW: 'Did not appear' },
};

/** A value of the snapshot for people: lists joined, objects as "key: value" pairs. */
function show(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (Array.isArray(value)) return value.map(show).join(', ');
  if (typeof value === 'object') return Object.entries(value as Record<string, unknown>).map(([key, inner]) => `${key}: ${show(inner)}`).join('; ');
  return String(value);
}

/** The consented snapshot, field by field. */
function Snapshot({ referral }: { referral: IncomingReferralFragment }) {
  const { t } = useI18n();
  if (referral.clientDataWithdrawnAt) return <p className="notice">{t('snapshotWithdrawn')}</p>;
  const data = (referral.clientData ?? {}) as Record<string, unknown>;
  return (
    <>
      <p className="muted">{t('snapshotExplained')}</p>
      <dl className="snapshot" data-testid="snapshot">
        {Object.entries(data).map(([field, value]) => (
          <div key={field}>
            <dt>{field}</dt>
            <dd>{show(value)}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}

/** One step of the lifecycle with the inputs it needs. */
function StepForm({ referral, status, onDone, onCancel }: { referral: IncomingReferralFragment; status: ReferralStatus; onDone: (next: IncomingReferralFragment) => void; onCancel: () => void }) {
  const { t, language } = useI18n();
  const { graph } = useSession();
  const [comment, setComment] = useState('');
  const [reason, setReason] = useState<string>('');
  const [position, setPosition] = useState('1');
  const [date, setDate] = useState('');
  const [outcome, setOutcome] = useState<OutcomeCode>('SERVICE_PROVIDED');
  const [level, setLevel] = useState<string>('');
  const [certificate, setCertificate] = useState('');
  const [error, setError] = useState<ClientError | null>(null);
  const [busy, setBusy] = useState(false);
  const base = { id: referral.id, expectedVersion: referral.version, ...(comment ? { comment } : {}) };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    let result: Result<Record<string, IncomingReferralFragment>>;
    switch (status) {
      case 'RECEIVED': result = await graph.request(OpenReferralDocument, { input: base }); break;
      case 'ACCEPTED': result = await graph.request(AcceptReferralDocument, { input: base }); break;
      case 'DECLINED': result = await graph.request(DeclineReferralDocument, { input: { ...base, reason: (reason || 'OTHER') as DeclineReason } }); break;
      case 'WAITLISTED': result = await graph.request(WaitlistReferralDocument, { input: { ...base, position: Number(position), ...(date ? { expectedStart: date } : {}) } }); break;
      case 'SCHEDULED': result = await graph.request(ScheduleReferralDocument, { input: { ...base, start: date } }); break;
      case 'IN_PROGRESS': result = await graph.request(StartReferralDocument, { input: base }); break;
      case 'ON_HOLD': result = await graph.request(HoldReferralDocument, { input: base }); break;
      case 'COMPLETED':
        result = await graph.request(CompleteReferralDocument, {
          input: { ...base, outcome: { code: outcome, ...(level ? { levelReached: level as LanguageLevel } : {}), ...(certificate ? { certificate } : {}) } },
        });
        break;
      case 'FAILED': result = await graph.request(FailReferralDocument, { input: { ...base, reason: (reason || 'OTHER') as FailureReason } }); break;
      case 'NO_SHOW': result = await graph.request(MarkReferralNoShowDocument, { input: base }); break;
      default: return;
    }
    setBusy(false);
    if (!result.ok) return setError(result.error);
    onDone(Object.values(result.data)[0]);
  };

  return (
    <form className="step-form" onSubmit={submit} aria-label={ACTION_LABELS[language][status] ?? status}>
      <h4>{ACTION_LABELS[language][status] ?? status}</h4>
      {status === 'DECLINED' || status === 'FAILED' ? (
        <label>
          {status === 'DECLINED' ? t('declineReason') : t('failureReason')}
          <select required value={reason} onChange={(e) => setReason(e.target.value)}>
            <option value="">{t('choose')}</option>
            {(status === 'DECLINED' ? DECLINE_REASONS : FAILURE_REASONS).map((r) => (
              <option key={r} value={r}>{enumLabel(language, r)}</option>
            ))}
          </select>
        </label>
      ) : null}
      {status === 'WAITLISTED' ? (
        <label>
          {t('waitlistPosition')}
          <input type="number" min={1} required value={position} onChange={(e) => setPosition(e.target.value)} />
        </label>
      ) : null}
      {status === 'WAITLISTED' || status === 'SCHEDULED' ? (
        <label>
          {status === 'SCHEDULED' ? t('startDate') : t('expectedStart')}
          <input type="date" required={status === 'SCHEDULED'} value={date} onChange={(e) => setDate(e.target.value)} />
        </label>
      ) : null}
      {status === 'COMPLETED' ? (
        <>
          <label>
            {t('outcome')}
            <select value={outcome} onChange={(e) => setOutcome(e.target.value as OutcomeCode)}>
              {OUTCOMES.map((o) => (
                <option key={o} value={o}>{enumLabel(language, o)}</option>
              ))}
            </select>
          </label>
          <label>
            {t('levelReached')}
            <select value={level} onChange={(e) => setLevel(e.target.value)}>
              <option value="">–</option>
              {LEVELS.map((l) => (
                <option key={l} value={l}>{l}</option>
              ))}
            </select>
          </label>
          <label>
            {t('certificate')}
            <input value={certificate} onChange={(e) => setCertificate(e.target.value)} />
          </label>
        </>
      ) : null}
      <label>
        {t('comment')}
        <input value={comment} onChange={(e) => setComment(e.target.value)} name="comment" />
      </label>
      <div className="buttons">
        <button type="submit" disabled={busy} className="primary">
          {ACTION_LABELS[language][status] ?? status}
        </button>
        <button type="button" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
      <ErrorMessage error={error} />
    </form>
  );
}

function ReferralDetail({ referral, onChanged }: { referral: IncomingReferralFragment; onChanged: (next: IncomingReferralFragment) => void }) {
  const { t, language } = useI18n();
  const [step, setStep] = useState<ReferralStatus | null>(null);
  const [message, setMessage] = useState('');
  const steps = referral.allowedNextStatuses.filter((s) => ACTION_LABELS.de[s]);
  return (
    <article className="card detail" aria-labelledby="referral-title" data-referral-id={referral.id} data-status={referral.status}>
      <h2 id="referral-title">
        {referral.sender.name}: {enumLabel(language, referral.lifeArea)} — <span className="status">{enumLabel(language, referral.status)}</span>
      </h2>
      <dl className="facts">
        <div><dt>{t('reason')}</dt><dd>{referral.reason ?? '–'}</dd></div>
        <div><dt>{t('offering')}</dt><dd>{referral.offering?.title?.text ?? '–'}</dd></div>
        <div><dt>{t('urgency')}</dt><dd>{enumLabel(language, referral.urgency)}</dd></div>
        <div><dt>{t('dueBy')}</dt><dd>{formatDateTime(referral.responseDueAt, language)} {referral.isOverdue ? <strong className="overdue">{t('overdue')}</strong> : null}</dd></div>
      </dl>
      <h3>{t('snapshot')}</h3>
      <Snapshot referral={referral} />
      <h3>{t('actions')}</h3>
      {message ? <p role="status" className="success">{message}</p> : null}
      {steps.length === 0 ? <p className="muted">{t('none')}</p> : null}
      <div className="buttons" role="group" aria-label={t('actions')}>
        {steps.map((s) => (
          <button key={s} type="button" onClick={() => { setStep(s); setMessage(''); }} aria-pressed={step === s} data-action={s}>
            {ACTION_LABELS[language][s]}
          </button>
        ))}
      </div>
      {step ? (
        <StepForm
          key={`${referral.id}-${step}-${referral.version}`}
          referral={referral}
          status={step}
          onCancel={() => setStep(null)}
          onDone={(next) => {
            setStep(null);
            setMessage(`${t('done')} ${enumLabel(language, next.status)}`);
            onChanged(next);
          }}
        />
      ) : null}
      <h3>{t('history')}</h3>
      <ol className="history">
        {referral.history.map((event) => (
          <li key={event.id}>
            {formatDateTime(event.occurredAt, language)}: {enumLabel(language, event.fromStatus)} → {enumLabel(language, event.toStatus)} ({enumLabel(language, event.actorSide)})
            {event.comment ? ` — ${event.comment}` : ''}
          </li>
        ))}
      </ol>
    </article>
  );
}

export function Inbox() {
  const { t, language } = useI18n();
  const { graph } = useSession();
  const [statuses, setStatuses] = useState<ReferralStatus[]>(['SENT', 'RECEIVED', 'ACCEPTED', 'WAITLISTED', 'SCHEDULED', 'IN_PROGRESS', 'ON_HOLD']);
  const [overdue, setOverdue] = useState(false);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [updated, setUpdated] = useState<Record<string, IncomingReferralFragment>>({});
  const inbox = useRequest(
    () => graph.request(IncomingReferralsDocument, { filter: { ...(statuses.length ? { statuses } : {}), ...(overdue ? { overdue: true } : {}) }, first: 50 }),
    [graph, statuses.join(), overdue],
  );
  const referrals = inbox.result?.ok ? inbox.result.data.incomingReferrals.edges.map((e) => updated[e.node.id] ?? e.node) : [];
  const selected = referrals.find((r) => r.id === selectedId) ?? (selectedId ? updated[selectedId] : undefined);
  const toggle = (status: ReferralStatus) => setStatuses(statuses.includes(status) ? statuses.filter((s) => s !== status) : [...statuses, status]);

  return (
    <div className="inbox">
      <h1>{t('inboxTitle')}</h1>
      <fieldset className="filters">
        <legend>{t('statuses')}</legend>
        {FILTER_STATUSES.map((status) => (
          <label key={status} className="checkbox">
            <input type="checkbox" checked={statuses.includes(status)} onChange={() => toggle(status)} name={`status-${status}`} />
            {enumLabel(language, status)}
          </label>
        ))}
        <label className="checkbox">
          <input type="checkbox" checked={overdue} onChange={(e) => setOverdue(e.target.checked)} name="overdue" />
          {t('onlyOverdue')}
        </label>
      </fieldset>
      {inbox.loading ? <Loading /> : null}
      {inbox.result && !inbox.result.ok ? <ErrorMessage error={inbox.result.error} /> : null}
      <div className="split">
        <div className="scroll">
        <table className="list">
          <caption>
            {t('inboxTitle')}: {inbox.result?.ok ? inbox.result.data.incomingReferrals.totalCount : '…'}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('sender')}</th>
              <th scope="col">{t('lifeArea')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('dueBy')}</th>
            </tr>
          </thead>
          <tbody>
            {referrals.length === 0 && inbox.result?.ok ? (
              <tr><td colSpan={4}>{t('noReferrals')}</td></tr>
            ) : null}
            {referrals.map((referral) => (
              <tr key={referral.id} className={referral.id === selectedId ? 'selected' : ''} data-referral-id={referral.id} data-status={referral.status}>
                <th scope="row">
                  <button type="button" className="link" onClick={() => setSelectedId(referral.id)} aria-current={referral.id === selectedId ? 'true' : undefined}>
                    {referral.sender.name}
                  </button>
                </th>
                <td>{enumLabel(language, referral.lifeArea)}</td>
                <td>{enumLabel(language, referral.status)}</td>
                <td>
                  {formatDate(referral.responseDueAt, language)} {referral.isOverdue ? <strong className="overdue">{t('overdue')}</strong> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
        {selected ? <ReferralDetail referral={selected} onChanged={(next) => setUpdated({ ...updated, [next.id]: next })} /> : null}
      </div>
    </div>
  );
}
