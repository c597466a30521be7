import { LifeAreasDocument, OfferingsDocument, SearchMunicipalitiesDocument, type Language } from '@integration-graph/client';
import { FormEvent, useMemo, useState } from 'react';
import { ErrorMessage, Loading, useRequest } from '../components/common';
import { useSession } from '../session';

/** The directory's languages, each named in itself; Arabic and Persian are written right to left. */
export const DIRECTORY_LANGUAGES: { code: Language; name: string; tag: string; rtl?: boolean }[] = [
  { code: 'DE', name: 'Deutsch', tag: 'de' },
  { code: 'DE_SIMPLE', name: 'Einfaches Deutsch', tag: 'de' },
  { code: 'EN', name: 'English', tag: 'en' },
  { code: 'AR', name: 'العربية', tag: 'ar', rtl: true },
  { code: 'FA', name: 'فارسی', tag: 'fa', rtl: true },
  { code: 'UK', name: 'Українська', tag: 'uk' },
  { code: 'TR', name: 'Türkçe', tag: 'tr' },
  { code: 'RU', name: 'Русский', tag: 'ru' },
];

type Label = 'title' | 'intro' | 'language' | 'place' | 'search' | 'area' | 'all' | 'freeSeats' | 'starts' | 'seats' | 'where' | 'none' | 'translated' | 'pick';

/** The page's own words in every language of the directory (offering texts come from the graph, with German fallback). */
const LABELS: Record<Language, Record<Label, string>> = {
  DE: { title: 'Angebote in Ihrer Nähe', intro: 'Sprachkurse, Beratung und mehr: wählen Sie Ihren Ort und Ihre Sprache.', language: 'Sprache', place: 'Ihr Ort', search: 'Suchen', area: 'Thema', all: 'alle', freeSeats: 'nur mit freien Plätzen', starts: 'Beginn', seats: 'freie Plätze', where: 'Ort', none: 'Keine Angebote gefunden.', translated: 'nur auf Deutsch', pick: 'Ort wählen' },
  DE_SIMPLE: { title: 'Angebote in Ihrer Nähe', intro: 'Hier finden Sie Kurse und Hilfe. Wählen Sie Ihren Ort. Wählen Sie Ihre Sprache.', language: 'Sprache', place: 'Ihr Ort', search: 'Suchen', area: 'Thema', all: 'alle', freeSeats: 'nur Kurse mit freien Plätzen', starts: 'Beginn', seats: 'freie Plätze', where: 'Wo', none: 'Wir haben nichts gefunden.', translated: 'nur auf Deutsch', pick: 'Ort wählen' },
  EN: { title: 'Offerings near you', intro: 'Language courses, counselling and more: choose your town and your language.', language: 'Language', place: 'Your town', search: 'Search', area: 'Topic', all: 'all', freeSeats: 'free seats only', starts: 'Starts', seats: 'free seats', where: 'Where', none: 'No offerings found.', translated: 'in German only', pick: 'Choose town' },
  AR: { title: 'العروض القريبة منك', intro: 'دورات اللغة والاستشارات والمزيد: اختر مدينتك ولغتك.', language: 'اللغة', place: 'مدينتك', search: 'بحث', area: 'الموضوع', all: 'الكل', freeSeats: 'الأماكن الشاغرة فقط', starts: 'البداية', seats: 'أماكن شاغرة', where: 'المكان', none: 'لم يتم العثور على عروض.', translated: 'بالألمانية فقط', pick: 'اختر المدينة' },
  FA: { title: 'برنامه‌های نزدیک شما', intro: 'کلاس‌های زبان، مشاوره و غیره: شهر و زبان خود را انتخاب کنید.', language: 'زبان', place: 'شهر شما', search: 'جستجو', area: 'موضوع', all: 'همه', freeSeats: 'فقط با جای خالی', starts: 'شروع', seats: 'جای خالی', where: 'مکان', none: 'برنامه‌ای پیدا نشد.', translated: 'فقط به آلمانی', pick: 'انتخاب شهر' },
  UK: { title: 'Пропозиції поблизу', intro: 'Мовні курси, консультації та інше: оберіть своє місто та мову.', language: 'Мова', place: 'Ваше місто', search: 'Шукати', area: 'Тема', all: 'усі', freeSeats: 'лише з вільними місцями', starts: 'Початок', seats: 'вільних місць', where: 'Де', none: 'Пропозицій не знайдено.', translated: 'лише німецькою', pick: 'Обрати місто' },
  TR: { title: 'Yakınınızdaki teklifler', intro: 'Dil kursları, danışmanlık ve daha fazlası: şehrinizi ve dilinizi seçin.', language: 'Dil', place: 'Şehriniz', search: 'Ara', area: 'Konu', all: 'hepsi', freeSeats: 'sadece boş yer olanlar', starts: 'Başlangıç', seats: 'boş yer', where: 'Yer', none: 'Teklif bulunamadı.', translated: 'sadece Almanca', pick: 'Şehir seç' },
  RU: { title: 'Предложения рядом с вами', intro: 'Языковые курсы, консультации и многое другое: выберите город и язык.', language: 'Язык', place: 'Ваш город', search: 'Искать', area: 'Тема', all: 'все', freeSeats: 'только со свободными местами', starts: 'Начало', seats: 'свободных мест', where: 'Где', none: 'Предложений не найдено.', translated: 'только на немецком', pick: 'Выбрать город' },
};

const DEFAULT_PLACE = { name: 'Offenburg', ags: '08317096' };

/** The newcomer directory: public, no login; offerings near a municipality in the newcomer's language. */
export function Directory() {
  const { graph } = useSession();
  const publicGraph = useMemo(() => graph.withToken(undefined), [graph]);
  const [language, setLanguage] = useState<Language>('DE_SIMPLE');
  const [text, setText] = useState(DEFAULT_PLACE.name);
  const [search, setSearch] = useState(DEFAULT_PLACE.name);
  const [place, setPlace] = useState(DEFAULT_PLACE);
  const [lifeArea, setLifeArea] = useState('');
  const [freeSeats, setFreeSeats] = useState(false);
  const meta = DIRECTORY_LANGUAGES.find((l) => l.code === language)!;
  const words = LABELS[language];
  const localGraph = useMemo(() => publicGraph.withLanguage(language), [publicGraph, language]);
  const places = useRequest(() => localGraph.request(SearchMunicipalitiesDocument, { text: search, first: 10 }), [localGraph, search]);
  const areas = useRequest(() => localGraph.request(LifeAreasDocument), [localGraph]);
  const offerings = useRequest(
    () => localGraph.request(OfferingsDocument, { first: 30, filter: { reachableFromAgs: place.ags, ...(lifeArea ? { lifeAreas: [lifeArea] } : {}), ...(freeSeats ? { hasFreeSeats: true } : {}) } }),
    [localGraph, place.ags, lifeArea, freeSeats],
  );
  const locale = meta.tag === 'de' ? 'de-DE' : meta.tag;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSearch(text);
  };
  const placeList = places.result?.ok ? places.result.data.organizations.edges.map((e) => e.node) : [];
  return (
    <div className="directory" lang={meta.tag} dir={meta.rtl ? 'rtl' : 'ltr'} data-language={language}>
      <h1>{words.title}</h1>
      <p>{words.intro}</p>
      <div className="toolbar">
        <label>
          {words.language}
          <select value={language} onChange={(e) => setLanguage(e.target.value as Language)} name="directory-language">
            {DIRECTORY_LANGUAGES.map((l) => (
              <option key={l.code} value={l.code} lang={l.tag}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        <form onSubmit={submit} role="search" className="inline">
          <label>
            {words.place}
            <input value={text} onChange={(e) => setText(e.target.value)} name="place" autoComplete="address-level2" />
          </label>
          <button type="submit">{words.search}</button>
        </form>
        <label>
          {words.area}
          <select value={lifeArea} onChange={(e) => setLifeArea(e.target.value)} name="life-area">
            <option value="">{words.all}</option>
            {(areas.result?.ok ? areas.result.data.taxonomy : []).map((term) => (
              <option key={term.id} value={term.id}>
                {term.label?.text ?? term.id}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={freeSeats} onChange={(e) => setFreeSeats(e.target.checked)} name="free-seats" /> {words.freeSeats}
        </label>
      </div>
      {placeList.length > 0 ? (
        <div className="places" role="group" aria-label={words.pick}>
          {placeList.map((p) => (
            <button key={p.id} type="button" aria-pressed={p.officialMunicipalityKey === place.ags} onClick={() => setPlace({ name: p.name, ags: p.officialMunicipalityKey ?? '' })}>
              {p.name}
              {p.parent ? ` (${p.parent.name})` : ''}
            </button>
          ))}
        </div>
      ) : null}
      <h2>
        {words.where}: {place.name}
      </h2>
      {offerings.loading ? <Loading /> : null}
      {offerings.result && !offerings.result.ok ? <ErrorMessage error={offerings.result.error} /> : null}
      {offerings.result?.ok && offerings.result.data.offerings.edges.length === 0 ? <p>{words.none}</p> : null}
      <ul className="offerings">
        {(offerings.result?.ok ? offerings.result.data.offerings.edges : []).map(({ node }) => (
          <li key={node.id} className="card" data-offering-id={node.id}>
            <h3 lang={node.title?.isFallback ? 'de' : meta.tag} dir={node.title?.isFallback ? 'ltr' : undefined}>
              {node.title?.text ?? '–'}
              {node.title?.isFallback ? <small className="muted"> ({words.translated})</small> : null}
            </h3>
            <p className="muted">{node.organization.name}</p>
            {node.description ? (
              <p lang={node.description.isFallback ? 'de' : meta.tag} dir={node.description.isFallback ? 'ltr' : undefined}>
                {node.description.text}
              </p>
            ) : null}
            <dl className="facts">
              {node.startsOn ? (
                <div><dt>{words.starts}</dt><dd>{new Date(`${node.startsOn}T12:00:00`).toLocaleDateString(locale)}</dd></div>
              ) : null}
              {node.seatsFree !== null ? (
                <div><dt>{words.seats}</dt><dd>{node.seatsFree}</dd></div>
              ) : null}
              {node.location ? (
                <div><dt>{words.where}</dt><dd dir="ltr">{[node.location.street, `${node.location.postalCode ?? ''} ${node.location.city}`.trim()].filter(Boolean).join(', ')}</dd></div>
              ) : null}
            </dl>
          </li>
        ))}
      </ul>
    </div>
  );
}
