/** The plan form: the rules merchants use every day, each control bound to its path in the document. */
import { Tag, Typography } from "antd";
import { getAt, isObj, type Json, renameKey } from "./doc.ts";
import { Choice, Field, MapRows, Rows, Section, Toggle, useEditor } from "./fields.tsx";
import { fill } from "./strings.ts";

export function PlanForm({ setDoc, jsonOnly }: { setDoc: (d: Json) => void; jsonOnly: string[] }) {
  const { s, doc } = useEditor();
  const rename = (path: string[]) => (from: string, to: string) => setDoc(renameKey(doc, path, from, to));
  return (
    <div className="pe-form" data-testid="plan-form">
      {jsonOnly.length > 0 && (
        <div className="pe-json-only" data-testid="json-only">
          <Typography.Text type="secondary">{s.jsonOnly}</Typography.Text>{" "}
          {jsonOnly.map((k) => (
            <Tag key={k} color="purple">
              {k} · {s.editedInJson}
            </Tag>
          ))}
        </div>
      )}
      <Section path={[]} title={s.general}>
        <Field path={["name"]} label={s.planName} kind="text" optional width={320} />
      </Section>
      <BaseSection rename={rename} />
      <Section path={["firstOrder"]} title={s.firstOrder} initial={{ firstRateBps: 1500, repeatRateBps: 800 }}>
        <Field path={["firstOrder", "firstRateBps"]} label={s.firstRate} kind="pct" />
        <Field path={["firstOrder", "repeatRateBps"]} label={s.repeatRate} kind="pct" />
      </Section>
      <TiersSection />
      <TeamSection />
      <RanksSection />
      <CampaignsSection />
      <Section path={["channels"]} title={s.channels} initial={{}}>
        <MapRows
          path={["channels"]}
          keyLabel={s.channel}
          addLabel={s.addChannel}
          make={{ multiplierBps: 11000 }}
          rename={rename(["channels"])}
          value={(k) => (
            <>
              <Field path={["channels", k, "multiplierBps"]} label={s.multiplier} kind="pct" />
              <Choice
                path={["channels", k, "appliesTo"]}
                label={s.appliesTo}
                width={140}
                options={[
                  { value: "seller", label: s.sellerOnly },
                  { value: "all", label: s.all },
                ]}
              />
            </>
          )}
        />
      </Section>
      <BonusSections />
      <Section path={["cap"]} title={s.cap} initial={{ orderRateBps: 2500 }}>
        <Field path={["cap", "orderRateBps"]} label={s.orderCap} kind="pct" optional />
        <Field path={["cap", "marginRateBps"]} label={s.marginCap} kind="pct" optional />
      </Section>
    </div>
  );
}

function BaseSection({ rename }: { rename: (p: string[]) => (a: string, b: string) => void }) {
  const { s } = useEditor();
  return (
    <Section path={["base"]} title={s.base}>
      <Field path={["base", "defaultRateBps"]} label={s.defaultRate} kind="pct" />
      <Field path={["base", "perOrderMinor"]} label={s.perOrder} kind="yuan" optional />
      <Typography.Text strong>{s.productRates}</Typography.Text>
      <MapRows
        path={["base", "productRates"]}
        keyLabel={s.productId}
        addLabel={`${s.add}${s.productRates}`}
        make={1000}
        rename={rename(["base", "productRates"])}
        value={(k) => <Field path={["base", "productRates", k]} label={s.rate} kind="pct" />}
      />
      <Typography.Text strong>{s.categoryRates}</Typography.Text>
      <MapRows
        path={["base", "categoryRates"]}
        keyLabel={s.categoryId}
        addLabel={`${s.add}${s.categoryRates}`}
        make={1000}
        rename={rename(["base", "categoryRates"])}
        value={(k) => <Field path={["base", "categoryRates", k]} label={s.rate} kind="pct" />}
      />
    </Section>
  );
}

function lastNumber(items: Json[], key: string): number {
  const last = items[items.length - 1];
  const v = isObj(last) ? last[key] : undefined;
  return typeof v === "number" ? v : 0;
}

function TiersSection() {
  const { s } = useEditor();
  return (
    <Section path={["tiers"]} title={s.tiers} initial={{ mode: "retroactive", steps: [{ fromMinor: 0, rateBps: 800 }] }}>
      <Choice
        path={["tiers", "mode"]}
        label={s.tierMode}
        width={240}
        options={[
          { value: "retroactive", label: s.retroactive },
          { value: "marginal", label: s.marginal },
        ]}
      />
      <Rows
        path={["tiers", "steps"]}
        addLabel={s.addStep}
        max={20}
        rowLabel={(i) => fill(s.step, { n: i + 1 })}
        make={(items) => ({ fromMinor: lastNumber(items, "fromMinor") + 1_000_000, rateBps: lastNumber(items, "rateBps") })}
        row={(i) => (
          <>
            <Field path={["tiers", "steps", i, "fromMinor"]} label={s.fromYuan} kind="yuan" />
            <Field path={["tiers", "steps", i, "rateBps"]} label={s.rate} kind="pct" width={110} />
            <Field path={["tiers", "steps", i, "bonusMinor"]} label={s.bonusYuan} kind="yuan" optional />
            <Field path={["tiers", "steps", i, "promoteToRank"]} label={s.promoteTo} kind="text" optional width={120} />
          </>
        )}
      />
    </Section>
  );
}

function TeamSection() {
  const { s, doc, update } = useEditor();
  return (
    <Section path={["team"]} title={s.team} initial={{ levels: [{ rateBps: 300 }] }}>
      <Rows
        path={["team", "levels"]}
        addLabel={s.addLevel}
        max={2}
        rowLabel={(i) => fill(s.level, { n: i + 1 })}
        make={() => ({ rateBps: 100 })}
        row={(i) => {
          const lv = getAt(doc, ["team", "levels", i]);
          const share = isObj(lv) && "shareBps" in lv;
          const key = share ? "shareBps" : "rateBps";
          return (
            <>
              <div className="pe-field">
                <span className="pe-label">{s.levelKind}</span>
                <select
                  className="pe-native-select"
                  aria-label={`${fill(s.level, { n: i + 1 })} ${s.levelKind}`}
                  value={key}
                  onChange={(e) => {
                    const v = isObj(lv) ? (lv[key] ?? 0) : 0;
                    update(["team", "levels", i], { [e.target.value]: v });
                  }}
                >
                  <option value="rateBps">{s.ofLine}</option>
                  <option value="shareBps">{s.ofSeller}</option>
                </select>
              </div>
              <Field path={["team", "levels", i, key]} label={s.rate} kind="pct" width={110} />
            </>
          );
        }}
      />
      <Section path={["team", "qualification"]} title={s.qualification} initial={{ ownSalesAtLeastMinor: 500000, onFail: "forfeit" }}>
        <Field path={["team", "qualification", "ownSalesAtLeastMinor"]} label={s.ownSales} kind="yuan" />
        <Choice
          path={["team", "qualification", "onFail"]}
          label={s.onFail}
          width={160}
          options={[
            { value: "forfeit", label: s.forfeit },
            { value: "compress", label: s.compress },
          ]}
        />
      </Section>
    </Section>
  );
}

function RanksSection() {
  const { s } = useEditor();
  return (
    <>
      <Section path={["ranks"]} title={s.ranks} initial={[{ key: "basic" }]}>
        <Rows
          path={["ranks"]}
          addLabel={s.addRank}
          rowLabel={(i) => `${s.ranks} ${i + 1}`}
          make={(items) => ({ key: `rank-${items.length + 1}` })}
          row={(i) => (
            <>
              <Field path={["ranks", i, "key"]} label={s.rankKey} kind="text" width={120} />
              <Field path={["ranks", i, "name"]} label={s.rankName} kind="text" optional width={120} />
              <Field path={["ranks", i, "rateBps"]} label={s.rankRate} kind="pct" optional width={110} />
            </>
          )}
        />
      </Section>
      <Section path={["newPromoterBoost"]} title={s.boost} initial={{ days: 30, addBps: 200 }}>
        <Field path={["newPromoterBoost", "days"]} label={s.boostDays} kind="int" />
        <Field path={["newPromoterBoost", "addBps"]} label={s.boostAdd} kind="pct" />
      </Section>
    </>
  );
}

function CampaignsSection() {
  const { s, doc, update } = useEditor();
  return (
    <Section path={["campaigns"]} title={s.campaigns} initial={[]}>
      <Rows
        path={["campaigns"]}
        addLabel={s.addCampaign}
        rowLabel={(i) => `${s.campaigns} ${i + 1}`}
        make={(items) => ({
          id: `campaign-${items.length + 1}`,
          startsAt: "2026-01-01T00:00:00+08:00",
          endsAt: "2026-02-01T00:00:00+08:00",
          productIds: [],
          addBps: 100,
        })}
        row={(i) => {
          const c = getAt(doc, ["campaigns", i]);
          const kind = isObj(c) && "rateBps" in c ? "rateBps" : "addBps";
          return (
            <>
              <Field path={["campaigns", i, "id"]} label={s.campaignId} kind="text" width={130} />
              <Field path={["campaigns", i, "startsAt"]} label={s.startsAt} kind="text" width={230} />
              <Field path={["campaigns", i, "endsAt"]} label={s.endsAt} kind="text" width={230} />
              <Field path={["campaigns", i, "productIds"]} label={s.productIds} kind="ids" width={200} />
              <Field path={["campaigns", i, "categoryIds"]} label={s.categoryIds} kind="ids" width={200} />
              <div className="pe-field">
                <span className="pe-label">{s.campaignKind}</span>
                <select
                  className="pe-native-select"
                  aria-label={`${s.campaigns} ${i + 1} ${s.campaignKind}`}
                  value={kind}
                  onChange={(e) => {
                    if (!isObj(c)) return;
                    const { rateBps, addBps, ...rest } = c;
                    update(["campaigns", i], { ...rest, [e.target.value]: rateBps ?? addBps ?? 0 });
                  }}
                >
                  <option value="rateBps">{s.override}</option>
                  <option value="addBps">{s.addPoints}</option>
                </select>
              </div>
              <Field path={["campaigns", i, kind]} label={s.rate} kind="pct" width={110} />
            </>
          );
        }}
      />
    </Section>
  );
}

function BonusSections() {
  const { s, doc, update } = useEditor();
  return (
    <>
      <Section path={["thresholdBonuses"]} title={s.thresholdBonuses} initial={[]}>
        <Rows
          path={["thresholdBonuses"]}
          addLabel={s.addBonus}
          rowLabel={(i) => `${s.thresholdBonuses} ${i + 1}`}
          make={(items) => ({ id: `bonus-${items.length + 1}`, salesAtLeastMinor: 3_000_000, bonusMinor: 50_000 })}
          row={(i) => (
            <>
              <Field path={["thresholdBonuses", i, "id"]} label={s.bonusId} kind="text" width={120} />
              <Field path={["thresholdBonuses", i, "salesAtLeastMinor"]} label={s.salesAtLeast} kind="yuan" />
              <Field path={["thresholdBonuses", i, "bonusMinor"]} label={s.bonus} kind="yuan" />
            </>
          )}
        />
      </Section>
      <Section path={["teamBonuses"]} title={s.teamBonuses} initial={[]}>
        <Rows
          path={["teamBonuses"]}
          addLabel={s.addBonus}
          rowLabel={(i) => `${s.teamBonuses} ${i + 1}`}
          make={(items) => ({ id: `team-${items.length + 1}`, form: "leader_rate", rateBps: 200, teamSalesAtLeastMinor: 10_000_000 })}
          row={(i) => {
            const b = getAt(doc, ["teamBonuses", i]);
            const shared = isObj(b) && b.form === "shared";
            return (
              <>
                <Field path={["teamBonuses", i, "id"]} label={s.bonusId} kind="text" width={120} />
                <div className="pe-field">
                  <span className="pe-label">{s.tbForm}</span>
                  <select
                    className="pe-native-select"
                    aria-label={`${s.teamBonuses} ${i + 1} ${s.tbForm}`}
                    value={shared ? "shared" : "leader_rate"}
                    onChange={(e) => {
                      if (!isObj(b)) return;
                      const { amountMinor, rateBps, ...rest } = b;
                      update(
                        ["teamBonuses", i],
                        e.target.value === "shared"
                          ? { ...rest, form: "shared", amountMinor: 100_000 }
                          : { ...rest, form: "leader_rate", rateBps: 200 },
                      );
                    }}
                  >
                    <option value="leader_rate">{s.leaderRate}</option>
                    <option value="shared">{s.shared}</option>
                  </select>
                </div>
                {shared ? (
                  <Field path={["teamBonuses", i, "amountMinor"]} label={s.amountYuan} kind="yuan" />
                ) : (
                  <Field path={["teamBonuses", i, "rateBps"]} label={s.rate} kind="pct" width={110} />
                )}
                <Field path={["teamBonuses", i, "teamSalesAtLeastMinor"]} label={s.teamSales} kind="yuan" />
                <div className="pe-field">
                  <span className="pe-label">{s.tbLevels}</span>
                  <select
                    className="pe-native-select"
                    aria-label={`${s.teamBonuses} ${i + 1} ${s.tbLevels}`}
                    value={isObj(b) && b.levels === 1 ? "1" : "2"}
                    onChange={(e) => {
                      if (!isObj(b)) return;
                      const { levels: _levels, ...rest } = b;
                      update(["teamBonuses", i], e.target.value === "1" ? { ...rest, levels: 1 } : rest);
                    }}
                  >
                    <option value="2">{s.tbLevelsTwo}</option>
                    <option value="1">{s.tbLevelsOne}</option>
                  </select>
                </div>
                <Toggle path={["teamBonuses", i, "includeSelf"]} label={s.includeSelf} />
              </>
            );
          }}
        />
      </Section>
      <Section path={["contests"]} title={s.contests} initial={[]}>
        <Rows
          path={["contests"]}
          addLabel={s.addContest}
          rowLabel={(i) => `${s.contests} ${i + 1}`}
          make={(items) => ({ id: `contest-${items.length + 1}`, metric: "sales", prizesMinor: [100_000, 50_000, 20_000] })}
          row={(i) => (
            <>
              <Field path={["contests", i, "id"]} label={s.bonusId} kind="text" width={120} />
              <Choice
                path={["contests", i, "metric"]}
                label={s.metric}
                width={120}
                options={[
                  { value: "sales", label: s.sales },
                  { value: "orders", label: s.orders },
                  { value: "customers", label: s.customers },
                ]}
              />
              <Field path={["contests", i, "prizesMinor"]} label={s.prizes} kind="yuanList" width={220} />
            </>
          )}
        />
      </Section>
    </>
  );
}
