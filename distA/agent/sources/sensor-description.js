// The sonde's description for the sink (docs/protocol.md, "Sensor description"): an EventMessage of content
// type SensorDescription with a DSProperties body naming the serial number and the model. Old sinks store it
// as any other event. The driver learns the serial number from the sonde (`sn`); the model is what the
// driver is written for (the YSI 6-series `sn`/`para` dialect of a 6600), the sonde does not print it.
import { CONTENT_TYPES } from '../../protocol/model.js';
/** The model the YSI driver speaks to. */
export const SONDE_MODEL = 'YSI 6600';
export function sensorDescriptionMessage(description, producer, now) {
    return {
        kind: 'EventMessage',
        contentType: CONTENT_TYPES.sensorDescription,
        header: { creationTime: now, producer },
        body: {
            type: 'DSProperties',
            properties: [
                { name: 'serialNumber', value: description.serialNumber },
                { name: 'model', value: description.model },
            ],
        },
    };
}
//# sourceMappingURL=sensor-description.js.map