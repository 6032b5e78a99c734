// What the script did, as evtwin must rebuild it: transactions, every sampled value (normalised as
// OCPP defines it), every status change. Written to expected.json for the C++ check.
import { ms } from './scenario.mjs';

// value × 10^multiplier, then Wh→kWh, W→kW (the units of evtwin's ocpp_meter_values table).
export function normalise(value, unit, multiplier) {
  let v = value * 10 ** multiplier;
  let u = unit;
  if (u === 'Wh' || u === 'W') {
    v /= 1000;
    u = 'k' + u;
  }
  return { value: v, unit: u };
}

export class Expected {
  constructor() {
    this.transactions = [];
    this.meterValues = [];
    this.status = [];
  }

  statusChange(cs, connector, minutes, status, errorCode = '') {
    const fault = status === 'Faulted' || (errorCode !== '' && errorCode !== 'NoError');
    this.status.push({ cs, connector, ts_ms: ms(minutes), status, error_code: errorCode, fault });
  }

  // `sampled` is a 1.6 or 2.0.1 sampledValue exactly as sent.
  sampledValue(cs, connector, transactionId, minutes, sampled) {
    const unit = sampled.unitOfMeasure ? sampled.unitOfMeasure.unit ?? 'Wh' : sampled.unit ?? 'Wh';
    const multiplier = sampled.unitOfMeasure?.multiplier ?? 0;
    const n = normalise(Number(sampled.value), unit, multiplier);
    this.meterValues.push({
      cs,
      connector,
      transaction_id: transactionId,
      ts_ms: ms(minutes),
      measurand: sampled.measurand ?? 'Energy.Active.Import.Register',
      phase: sampled.phase ?? '',
      context: sampled.context ?? '',
      value: n.value,
      unit: n.unit,
    });
  }

  // Registers in Wh as the meter counted them.
  transaction(cs, connector, transactionId, idTag, startMinutes, stopMinutes, startWh, stopWh, reason) {
    this.transactions.push({
      cs,
      connector,
      transaction_id: String(transactionId),
      id_tag: idTag,
      start_ms: ms(startMinutes),
      stop_ms: ms(stopMinutes),
      meter_start_wh: startWh,
      meter_stop_wh: stopWh,
      energy_kwh: (stopWh - startWh) / 1000,
      stop_reason: reason,
    });
  }
}
