/**
 * Differential suite for DUMP and RESTORE against redis-server 7.0: DUMP
 * payloads of every type and encoding byte for byte, RESTORE of payloads
 * Redis made (every RDB type it has written), RESTORE's options and error
 * texts, and the DEBUG switches of the codec. Plus, against tsredis alone,
 * a fuzz loop of corrupt payloads that must never bring the server down,
 * and (with redis-server) payloads crossing between the two servers.
 */
import { assert, assertEquals } from "../_deps.ts";
import { differential, masks, type Script } from "../_harness/differential.ts";
import { type RespClient, RespError } from "../_harness/resp_client.ts";
import { spawnServer } from "../_harness/spawn.ts";
import { REDIS_SERVER } from "../_harness/tools.ts";
import { Crc64 } from "../../src/util/crc64.ts";

// CRC-64/Jones (reflected), for payloads made up here.
function crc64(bytes: string): bigint {
  const poly = 0x95ac9329ac4bc9b5n;
  let crc = 0n;
  for (let i = 0; i < bytes.length; i++) {
    crc ^= BigInt(bytes.charCodeAt(i));
    for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return crc;
}

function fromHex(hex: string): string {
  let s = "";
  for (let i = 0; i < hex.length; i += 2) {
    s += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  }
  return s;
}

/** A DUMP payload: RDB type and body (hex), RDB version, correct CRC64. */
function payload(bodyHex: string, version = 10): string {
  const body = fromHex(bodyHex) +
    String.fromCharCode(version & 0xff, version >> 8);
  let crc = crc64(body);
  let tail = "";
  for (let i = 0; i < 8; i++) {
    tail += String.fromCharCode(Number(crc & 0xffn));
    crc >>= 8n;
  }
  return body + tail;
}

/** A recorded payload (hex) as bytes. */
function recorded(hex: string): string {
  return fromHex(hex);
}

// DUMP payloads recorded from redis-server 7.0.15.
const REDIS = {
  string: "000b68656c6c6f20776f726c640a000bfc49b9a6c7a034",
  int: "00c2c01dfeff0a00e1b6629eabbd54f2",
  lzf: "00c30b40960361626361e087020162630a00cc4ffc25a4143aeb",
  list: [
    "120102c31a405a125a000000050081610201018162020201e04663e03c000148ff0a0054",
    "3088acf3c85dac",
  ].join(""),
  biglist: [
    "120102c34d5b5af10df11a0000bc02866974656d2d300780070031a0070032a0070033a0",
    "070034a0070035a0070036a0070037a0070038a00702390787604f02313008a0080031c0",
    "080032c0080033c0080034c0080035c0080036c0080037c0080038c0080039a0080032c0",
    "590032c0590032c0590032c0590032c0590032c0590032c0590032c0590032c0590032c0",
    "590033c0590033c0590033c0590033c0590033c0590033c0590033c0590033c0590033c0",
    "590033c0590034c0590034c0590034c0590034c0590034c0590034c0590034c0590034c0",
    "590034c0590034c0590035c0590035c0590035c0590035c0590035c0590035c0590035c0",
    "590035c0590035c0590035c0590036c0590036c0590036c0590036c0590036c0590036c0",
    "590036c0590036c0590036c0590036c0590037c0590037c0590037c0590037c0590037c0",
    "590037c0590037c0590037c0590037c0590037c0590038c0590038c0590038c0590038c0",
    "590038c0590038c0590038c0590038c0590038c0590038c0590039c0590039c0590039c0",
    "590039c0590039c0590039c0590039c0590039c0590039c0590339390888a329013009c0",
    "090031e000090032e000090033e000090034e000090035e000090036e000090037e00009",
    "0038e000090039c0090031e000630031e000630031e000630031e000630031e000630031",
    "e000630031e000630031e000630031e000630031e000630032e000630032e000630032e0",
    "00630032e000630032e000630032e000630032e000630032e000630032e000630032e000",
    "630033e000630033e000630033e000630033e000630033e000630033e000630033e00063",
    "0033e000630033e000630033e000630034e000630034e000630034e000630034e0006300",
    "34e000630034e000630034e000630034e000630034e000630034e000630035e000630035",
    "e000630035e000630035e000630035e000630035e000630035e000630035e000630035e0",
    "00630035e000630036e000630036e000630036e000630036e000630036e000630036e000",
    "630036e000630036e000630036e000630036e000630037e000630037e000630037e00063",
    "0037e000630037e000630037e000630037e000630037e000630037e000630037e0006300",
    "38e000630038e000630038e000630038e000630038e000630038e000630038e000630038",
    "e000630038e000630038e000630039e000630039e000630039e000630039e000630039e0",
    "00630039e000630039e000630039e000630039e000630039c0630032e300e70032e300e7",
    "0032e300e70032e300e70032e300e70032e300e70032e300e70032e300e70032e300e700",
    "32e300e70032e300e70032e300e70032e300e70032e300e70032e300e70032e300e70032",
    "e300e70032e300e70032e300e70032e300e70032e300e70032e300e70032e300e70032e3",
    "00e70032e300e70032e300e70032e300e70032e300e70032e300e70032e300e70032e300",
    "e70032e300e70032e300e70032e300e70032e300e70032e300e70032e300e70032e300e7",
    "0032e300e70032e300e70032e300e70032e300e70032e300e70032e300e70032e300e700",
    "32e300e70032e300e70032e300e70032e300e70032e300e70032e300e70032e300e70032",
    "e300e70032e300e70032e300e70032e300e70032e300e70032e300e70032e300e70032e3",
    "00e70032e300e70032e300e70032e300e70032e300e70032e300e70032e300e70032e300",
    "e70032e300e70032e300e70032e300e70032e300e70032e300e70032e300e70032e300e7",
    "0032e300e70032e300e70032e300e70032e300e70032e300e70032e300e70032e300e700",
    "32e300e70032e300e70032e300e70032e300e70032e300e70032e300e70032e300e70032",
    "e300e70032e300e70032e300e70032e300e70032e300e70032e300e70032e300e70032e3",
    "00e70032e300e70032e300e70032e300e70032e300e70033e300e70033e300e70033e300",
    "e70033e300e70033e300e70033e300e70033e300e70033e300e70033e300e70033e300e7",
    "0033e300e70033e300e70033e300e70033e300e70033e300e70033e300e70033e300e700",
    "33e300e70033e300e70033e300e70033e300e70033e300e70033e300e70033e300e70033",
    "e300e70033e300e70033e300e70033e300e70033e300e70033e300e70033e300e70033e3",
    "00e70033e300e70033e300e70033e300e70033e300e70033e300e70033e300e70033e300",
    "e70033e300e70033e300e70033e300e70033e300e70033e300e70033e300e70033e300e7",
    "0033e300e70033e300e70033e300e70033e300e70033e300e70033e300e70033e300e700",
    "33e300e70033e300e70033e300e70033e300e70033e300e70033e300e70033e300e70033",
    "e300e70033e300e70033e300e70033e300e70033e300e70033e300e70033e300e70033e3",
    "00e70033e300e70033e300e70033e300e70033e300e70033e300e70033e300e70033e300",
    "e70033e300e70033e300e70033e300e70033e300e70033e300e70033e300e70033e300e7",
    "0033e300e70033e300e70033e300e70033e300e70033e300e70033e300e70033e300e700",
    "33e300e70033e300e70033e300e70033e300e70033e300e70033e300e70033e300e70033",
    "e300e70033e300e70033e300e70033e300e70034e300e70034e300e70034e300e70034e3",
    "00e70034e300e70034e300e70034e300e70034e300e70034e300e70034e300e70034e300",
    "e70034e300e70034e300e70034e300e70034e300e70034e300e70034e300e70034e300e7",
    "0034e300e70034e300e70034e300e70034e300e70034e300e70034e300e70034e300e700",
    "34e300e70034e300e70034e300e70034e300e70034e300e70034e300e70034e300e70034",
    "e300e70034e300e70034e300e70034e300e70034e300e70034e300e70034e300e70034e3",
    "00e70034e300e70034e300e70034e300e70034e300e70034e300e70034e300e70034e300",
    "e70034e300e70034e300e70034e300e70034e300e70034e300e70034e300e70034e300e7",
    "0034e300e70034e300e70034e300e70034e300e70034e300e70034e300e70034e300e700",
    "34e300e70034e300e70034e300e70034e300e70034e300e70034e300e70034e300e70034",
    "e300e70034e300e70034e300e70034e300e70034e300e70034e300e70034e300e70034e3",
    "00e70034e300e70034e300e70034e300e70034e300e70034e300e70034e300e70034e300",
    "e70034e300e70034e300e70034e300e70034e300e70034e300e70034e300e70034e300e7",
    "0034e300e70034e300e70034e300e70034e300e70034e300e70034e300e70034e300e700",
    "34e300e70034e300e70034e300e70035e300e70035e300e70035e300e70035e300e70035",
    "e300e70035e300e70035e300e70035e300e70035e300e70035e300e70035e300e70035e3",
    "00e70035e300e70035e300e70035e300e70035e300e70035e300e70035e300e70035e300",
    "e70035e300e70035e300e70035e300e70035e300e70035e300e70035e300e70035e300e7",
    "0035e300e70035e300e70035e300e70035e300e70035e300e70035e300e70035e300e700",
    "35e300e70035e300e70035e300e70035e300e70035e300e70035e300e70035e300e70035",
    "e300e70035e300e70035e300e70035e300e70035e300e70035e300e70035e300e70035e3",
    "00e70035e300e70035e300e70035e300e70035e300e70035e300e70035e300e70035e300",
    "e70035e300e70035e300e70035e300e70035e300e70035e300e70035e300e70035e300e7",
    "0035e300e70035e300e70035e300e70035e300e70035e300e70035e300e70035e300e700",
    "35e300e70035e300e70035e300e70035e300e70035e300e70035e300e70035e300e70035",
    "e300e70035e300e70035e300e70035e300e70035e300e70035e300e70035e300e70035e3",
    "00e70035e300e70035e300e70035e300e70035e300e70035e300e70035e300e70035e300",
    "e70035e300e70035e300e70035e300e70035e300e70035e300e70035e300e70035e300e7",
    "0035e300e70035e300e70036e300e70036e300e70036e300e70036e300e70036e300e700",
    "36e300e70036e300e70036e300e70036e300e70036e300e70036e300e70036e300e70036",
    "e300e70036e300e70036e300e70036e300e70036e300e70036e300e70036e300e70036e3",
    "00e70036e300e70036e300e70036e300e70036e300e70036e300e70036e300e70036e300",
    "e70036e300e70036e300e70036e300e70036e300e70036e300e70036e300e70036e300e7",
    "0036e300e70036e300e70036e300e70036e300e70036e300e70036e300e70036e300e700",
    "36e300e70036e300e70036e300e70036e300e70036e300e70036e300e70036e300e70036",
    "e300e70036e300e70036e300e70036e300e70036e300e70036e300e70036e300e70036e3",
    "00e70036e300e70036e300e70036e300e70036e300e70036e300e70036e300e70036e300",
    "e70036e300e70036e300e70036e300e70036e300e70036e300e70036e300e70036e300e7",
    "0036e300e70036e300e70036e300e70036e300e70036e300e70036e300e70036e300e700",
    "36e300e70036e300e70036e300e70036e300e70036e300e70036e300e70036e300e70036",
    "e300e70036e300e70036e300e70036e300e70036e300e70036e300e70036e300e70036e3",
    "00e70036e300e70036e300e70036e300e70036e300e70036e300e70036e300e70036e300",
    "e7003623e700ff0a001622ead536136754",
  ].join(""),
  bigset: [
    "021403733132037331350273350373313002733303733133037331310273320273370273",
    "360273300273380273310273390373313803733136037331370273340373313403733139",
    "0a00fb4a4b9a6ace7c4a",
  ].join(""),
  lpushlist: [
    "120202c3483456c713c7160000a0018c656c656d656e742d303939390de0030d0038e004",
    "0d0037e0040d0036e0040d0035e0040d0034e0040d0033e0040d0032e0040d0031e0040d",
    "0030e0030d0038e0048b0038e0048b0038e0048b0038e0048b0038e0048b0038e0048b00",
    "38e0048b0038e0048b0038e0048b0038e0048b0037e0048b0037e0048b0037e0048b0037",
    "e0048b0037e0048b0037e0048b0037e0048b0037e0048b0037e0048b0037e0048b0036e0",
    "048b0036e0048b0036e0048b0036e0048b0036e0048b0036e0048b0036e0048b0036e004",
    "8b0036e0048b0036e0048b0035e0048b0035e0048b0035e0048b0035e0048b0035e0048b",
    "0035e0048b0035e0048b0035e0048b0035e0048b0035e0048b0034e0048b0034e0048b00",
    "34e0048b0034e0048b0034e0048b0034e0048b0034e0048b0034e0048b0034e0048b0034",
    "e0048b0033e0048b0033e0048b0033e0048b0033e0048b0033e0048b0033e0048b0033e0",
    "048b0033e0048b0033e0048b0033e0048b0032e0048b0032e0048b0032e0048b0032e004",
    "8b0032e0048b0032e0048b0032e0048b0032e0048b0032e0048b0032e0048b0031e0048b",
    "0031e0048b0031e0048b0031e0048b0031e0048b0031e0048b0031e0048b0031e0048b00",
    "31e0048b0031e0048b0030e0048b0030e0048b0030e0048b0030e0048b0030e0048b0030",
    "e0048b0030e0048b0030e0048b0030e0048b0030e0038b0038e504770038e504770038e5",
    "04770038e504770038e504770038e504770038e504770038e504770038e504770038e504",
    "770038e504770038e504770038e504770038e504770038e504770038e504770038e50477",
    "0038e504770038e504770038e504770038e504770038e504770038e504770038e5047700",
    "38e504770038e504770038e504770038e504770038e504770038e504770038e504770038",
    "e504770038e504770038e504770038e504770038e504770038e504770038e504770038e5",
    "04770038e504770038e504770038e504770038e504770038e504770038e504770038e504",
    "770038e504770038e504770038e504770038e504770038e504770038e504770038e50477",
    "0038e504770038e504770038e504770038e504770038e504770038e504770038e5047700",
    "38e504770038e504770038e504770038e504770038e504770038e504770038e504770038",
    "e504770038e504770038e504770038e504770038e504770038e504770038e504770038e5",
    "04770038e504770038e504770038e504770038e504770038e504770038e504770038e504",
    "770038e504770038e504770038e504770038e504770038e504770038e504770038e50477",
    "0038e504770038e504770038e504770038e504770038e504770038e504770038e5047700",
    "38e504770038e504770038e504770038e504770037e504770037e504770037e504770037",
    "e504770037e504770037e504770037e504770037e504770037e504770037e504770037e5",
    "04770037e504770037e504770037e504770037e504770037e504770037e504770037e504",
    "770037e504770037e504770037e504770037e504770037e504770037e504770037e50477",
    "0037e504770037e504770037e504770037e504770037e504770037e504770037e5047700",
    "37e504770037e504770037e504770037e504770037e504770037e504770037e504770037",
    "e504770037e504770037e504770037e504770037e504770037e504770037e504770037e5",
    "04770037e504770037e504770037e504770037e504770037e504770037e504770037e504",
    "770037e504770037e504770037e504770037e504770037e504770037e504770037e50477",
    "0037e504770037e504770037e504770037e504770037e504770037e504770037e5047700",
    "37e504770037e504770037e504770037e504770037e504770037e504770037e504770037",
    "e504770037e504770037e504770037e504770037e504770037e504770037e504770037e5",
    "04770037e504770037e504770037e504770037e504770037e504770037e504770037e504",
    "770037e504770037e504770037e504770037e504770037e504770037e504770037e50477",
    "0037e504770037e504770037e504770036e504770036e504770036e504770036e5047700",
    "36e504770036e504770036e504770036e504770036e504770036e504770036e504770036",
    "e504770036e504770036e504770036e504770036e504770036e504770036e504770036e5",
    "04770036e504770036e504770036e504770036e504770036e504770036e504770036e504",
    "770036e504770036e504770036e504770036e504770036e504770036e504770036e50477",
    "0036e504770036e504770036e504770036e504770036e504770036e504770036e5047700",
    "36e504770036e504770036e504770036e504770036e504770036e504770036e504770036",
    "e504770036e504770036e504770036e504770036e504770036e504770036e504770036e5",
    "04770036e504770036e504770036e504770036e504770036e504770036e504770036e504",
    "770036e504770036e504770036e504770036e504770036e504770036e504770036e50477",
    "0036e504770036e504770036e504770036e504770036e504770036e504770036e5047700",
    "36e504770036e504770036e504770036e504770036e504770036e504770036e504770036",
    "e504770036e504770036e504770036e504770036e504770036e504770036e504770036e5",
    "04770036e504770036e504770036e504770036e504770036e504770036e504770036e504",
    "770036e504770036e504770035e504770035e504770035e504770035e504770035e50477",
    "0035e504770035e504770035e504770035e504770035e504770035e504770035e5047700",
    "35e504770035e504770035e504770035257700ff02c34b3c5ff713f71f000048028c656c",
    "656d656e742d303538330de0030d0032e0040d0031e0040d0030e0030d013739e0040d00",
    "38e0040d0037e0040d0036e0040d0035e0040d0034e0040de0048b0037e0048b0037e004",
    "8b0037e0048b0036e0048b0036e0048b0036e0048b0036e0048b0036e0048b0036e0048b",
    "0036e0048b0036e0048b0036e0048b0036e0048b0035e0048b0035e0048b0035e0048b00",
    "35e0048b0035e0048b0035e0048b0035e0048b0035e0048b0035e0048b0035e0048b0034",
    "e0048b0034e0048b0034e0048b0034e0048b0034e0048b0034e0048b0034e0048b0034e0",
    "048b0034e0048b0034e0048b0033e0048b0033e0048b0033e0048b0033e0048b0033e004",
    "8b0033e0048b0033e0048b0033e0048b0033e0048b0033e0048b0032e0048b0032e0048b",
    "0032e0048b0032e0048b0032e0048b0032e0048b0032e0048b0032e0048b0032e0048b00",
    "32e0048b0031e0048b0031e0048b0031e0048b0031e0048b0031e0048b0031e0048b0031",
    "e0048b0031e0048b0031e0048b0031e0048b0030e0048b0030e0048b0030e0048b0030e0",
    "048b0030e0048b0030e0048b0030e0048b0030e0048b0030e0048b0030e0038b013439e0",
    "038b013439e0038b013439e0038b013439e0038b013439e0038b013439e0038b013439e0",
    "038b013439e0038b013439e0038b013439e0048b0038e0048b0038e0048b0038e0048b00",
    "38e0048b0038e0048b0038e0048be504770034e504770034e504770034e504770034e504",
    "770034e504770034e504770034e504770034e504770034e504770034e504770034e50477",
    "0034e504770034e504770034e504770034e504770034e504770034e504770034e5047700",
    "34e504770034e504770034e504770034e504770034e504770034e504770034e504770034",
    "e504770034e504770034e504770034e504770034e504770034e504770034e504770034e5",
    "04770034e504770034e504770034e504770034e504770034e504770034e504770034e504",
    "770034e504770034e504770034e504770034e504770034e504770034e504770034e50477",
    "0034e504770034e504770034e504770034e504770034e504770034e504770034e5047700",
    "34e504770034e504770034e504770034e504770034e504770034e504770034e504770034",
    "e504770034e504770034e504770034e504770034e504770034e504770034e504770034e5",
    "04770034e504770034e504770034e504770034e504770034e504770034e504770034e504",
    "770034e504770034e504770034e504770034e504770034e504770034e504770034e50477",
    "0033e504770033e504770033e504770033e504770033e504770033e504770033e5047700",
    "33e504770033e504770033e504770033e504770033e504770033e504770033e504770033",
    "e504770033e504770033e504770033e504770033e504770033e504770033e504770033e5",
    "04770033e504770033e504770033e504770033e504770033e504770033e504770033e504",
    "770033e504770033e504770033e504770033e504770033e504770033e504770033e50477",
    "0033e504770033e504770033e504770033e504770033e504770033e504770033e5047700",
    "33e504770033e504770033e504770033e504770033e504770033e504770033e504770033",
    "e504770033e504770033e504770033e504770033e504770033e504770033e504770033e5",
    "04770033e504770033e504770033e504770033e504770033e504770033e504770033e504",
    "770033e504770033e504770033e504770033e504770033e504770033e504770033e50477",
    "0033e504770033e504770033e504770033e504770033e504770033e504770033e5047700",
    "33e504770033e504770033e504770033e504770033e504770033e504770033e504770033",
    "e504770033e504770033e504770033e504770033e504770033e504770033e504770033e5",
    "04770033e504770033e504770033e504770033e504770033e504770033e504770032e504",
    "770032e504770032e504770032e504770032e504770032e504770032e504770032e50477",
    "0032e504770032e504770032e504770032e504770032e504770032e504770032e5047700",
    "32e504770032e504770032e504770032e504770032e504770032e504770032e504770032",
    "e504770032e504770032e504770032e504770032e504770032e504770032e504770032e5",
    "04770032e504770032e504770032e504770032e504770032e504770032e504770032e504",
    "770032e504770032e504770032e504770032e504770032e504770032e504770032e50477",
    "0032e504770032e504770032e504770032e504770032e504770032e504770032e5047700",
    "32e504770032e504770032e504770032e504770032e504770032e504770032e504770032",
    "e504770032e504770032e504770032e504770032e504770032e504770032e504770032e5",
    "04770032e504770032e504770032e504770032e504770032e504770032e504770032e504",
    "770032e504770032e504770032e504770032e504770032e504770032e504770032e50477",
    "0032e504770032e504770032e504770032e504770032e504770032e504770032e5047700",
    "32e504770032e504770032e504770032e504770032e504770032e504770032e504770032",
    "e504770032e504770032e504770032e504770032e504770032e504770031e504770031e5",
    "04770031e504770031e504770031e504770031e504770031e504770031e504770031e504",
    "770031e504770031e504770031e504770031e504770031e504770031e504770031e50477",
    "0031e504770031e504770031e504770031e504770031e504770031e504770031e5047700",
    "31e504770031e504770031e504770031e504770031e504770031e504770031e504770031",
    "e504770031e504770031e504770031e504770031e504770031e504770031e504770031e5",
    "04770031e504770031e504770031e504770031e504770031e504770031e504770031e504",
    "770031e504770031e504770031e504770031e504770031e504770031e504770031e50477",
    "0031e504770031e504770031e504770031e504770031e504770031e504770031e5047700",
    "31e504770031e504770031e504770031e504770031e504770031e504770031e504770031",
    "e504770031e504770031e504770031e504770031e504770031e504770031e504770031e5",
    "04770031e504770031e504770031e504770031e504770031e504770031e504770031e504",
    "770031e504770031e504770031e504770031e504770031e504770031e504770031e50477",
    "0031e504770031e504770031e504770031e504770031e504770031e504770031e5047700",
    "31e504770031e504770031e504770031e504770031e504770030e504770030e504770030",
    "e504770030e504770030e504770030e504770030e504770030e504770030e504770030e5",
    "04770030e504770030e504770030e504770030e504770030e504770030e504770030e504",
    "770030e504770030e504770030e504770030e504770030e504770030e504770030e50477",
    "0030e504770030e504770030e504770030e504770030e504770030e504770030e5047700",
    "30e504770030e504770030e504770030e504770030e504770030e504770030e504770030",
    "e504770030e504770030e504773cb6fc02373c0ee0040df703833b12e0041bf703833a16",
    "e0041bf8030f391ae0041bf8030f381ee0031be504773722e0041be0048be5047735a8e0",
    "0429e0048be50477342ee00429e0048be5047732b4e00329e5047731b8e0041be10417e5",
    "0477303ee00429e10417e504772ec4e00329e504772dc8e0041be10417e504772c4ee004",
    "29e10417e504772ad4e00429e10417e50477295ae00329e50477285ee0041be10417e504",
    "7726e4e00429e10417e50477256ae00429e10417e5047723f0e00329e5047722f4e0041b",
    "e10417e50477217ae00429e10417e504772000010dff0a007842577d48846b80",
  ].join(""),
  zset2: "110c0c00000002008161020101ff0a00a805ceb8d7a93302",
  intset: "0b14040000000300000090eefeff03000000050000000a00d45d0f1d79b7dde3",
  set: "0204c0010179017a01780a00b4598bf4bf418dfb",
  hash: "1012120000000400816602817602816e020c01ff0a0001369481d35b8974",
  hashtable: [
    "04030573686f72740178046c6f6e67c3094041017979e03400017979016ec0070a00f7d6",
    "e5db16121f63",
  ].join(""),
  zset: [
    "111d1d0000000600816302842d696e660581610283312e35048162020201ff0a0017dce9",
    "1ab8436c89",
  ].join(""),
  skiplist: [
    "0503c3094046016d6de03900016d6d00000000000004400161000000000000f03f016300",
    "000000000008c00a00729ee4657e019c70",
  ].join(""),
  stream: [
    "13011000000000000000010000000000000001c32c310631000000130001600007816102",
    "0001030100200102010104600503dfff02024017200406620203010801ff010200020001",
    "0102000a00f83d560fb1295288",
  ].join(""),
};

// Key records of the legacy files in tests/fixtures/rdb/legacy (written by
// older Redis versions) as DUMP payloads of their RDB version.
const LEGACY = {
  zsetText: [ // type 3, encodings.rdb
    "030c026262023230026363023330036262620332303004626262620a3530303030303030",
    "303003636363033330300463636363093132333435363738390161013102616102313001",
    "620132036161610331303001630133046161616104313030300400ccdca26b492040f9",
  ].join(""),
  intset16: // type 11, RDB encodings.rdb
    "0b1002000000040000000100020003000400040082622918c487161e",
  listZiplist: [ // type 10, encodings.rdb
    "0a303000000025000000080000c0010004c0020004c0030004016103016203016303d0a0",
    "86010006e000bca06501000000ff04004d40f1bdecce17f6",
  ].join(""),
  intset64: [ // type 11, encodings.rdb
    "0b38080000000600000000ca9a3b000000000094357700000000005ed0b2000000000028",
    "6bee0000000000f2052a0100000000bca065010000000400f087319769501ce5",
  ].join(""),
  setTable: [ // type 2, encodings.rdb
    "02080a36303030303030303030c2a08601000161c0010162c0020163c003040032577e41",
    "0b428fc9",
  ].join(""),
  listLinked: [ // type 1, encodings.rdb
    "0118c001c002c003016101620163c2a08601000a36303030303030303030c001c002c003",
    "016101620163c2a08601000a36303030303030303030c001c002c003016101620163c2a0",
    "8601000a363030303030303030300400efcc7e864423e2f7",
  ].join(""),
  hashZiplist: [ // type 13, encodings.rdb
    "0d20200000001b000000060000016103c0010004016203c0020004016303c00300ff0400",
    "27e6e2818b41d72c",
  ].join(""),
  zsetZiplist: [ // type 12, encodings.rdb
    "0c20200000001b000000060000016103c0010004016203c0020004016303c00300ff0400",
    "ed928b057bb22856",
  ].join(""),
  hashTable: [ // type 4, encodings.rdb
    "040b0162c002026161c00a0163c00303616161c064026262c014026363c01e03626262c1",
    "c80003636363c12c0103646464c19001036565650a353030303030303030300161c00104",
    "00f296a87264e05b65",
  ].join(""),
  hashZipmap: // type 9, RDB hash-zipmap.rdb
    "0910020266310200763102663202007632ff0300ead239e970a5b6e0",
  listQuicklist1: // type 14, RDB list-quicklist.rdb
    "0e010d0d0000000a000000010000f8ff080010ebd801dd1c4d8d",
};

const lengthOnly = {
  mask: (raw: string) =>
    raw.startsWith("$") ? raw.slice(0, raw.indexOf("\r\n")) : raw,
  why: "a hash table's order is arbitrary: only the payload's size must match",
};
const sorted = { mask: masks.sortArray, why: "hash table order" };
const idleMask = {
  mask: (raw: string) =>
    raw.replace(
      /^:(\d+)\r\n$/,
      (_, n) => `:~${Math.round(Number(n) / 10)}\r\n`,
    ),
  why:
    "the LRU clock may tick, and a minute may pass for the LFU decay, between RESTORE and OBJECT",
};
const ttlMask = {
  mask: masks.integers,
  why: "the remaining time depends on when the step runs",
};

const range = <T>(n: number, f: (i: number) => T): T[] =>
  Array.from({ length: n }, (_, i) => f(i));
const ELEMENTS = range(1000, (i) => `element-${String(i).padStart(4, "0")}`);

// DUMP and OBJECT ENCODING of `k` after `setup`.
function dumpCase(...setup: (string | number)[][]): Script {
  return [...setup, ["dump", "k"], ["object", "encoding", "k"]];
}

const dumpCases: Record<string, Script> = {
  "DUMP of a missing key is null": [["dump", "nokey"]],
  "DUMP of an int-encoded string": dumpCase(["set", "k", "12345"]),
  "DUMP of a negative INT8 string": dumpCase(["set", "k", "-7"]),
  "DUMP of an INT32 string": dumpCase(["set", "k", "-2147483648"]),
  "DUMP of a 64-bit integer string (raw, not int-encoded)": dumpCase([
    "set",
    "k",
    "12345678901234",
  ]),
  "DUMP of a non-canonical number": dumpCase(["set", "k", "007"]),
  "DUMP of an empty string": dumpCase(["set", "k", ""]),
  "DUMP of a short string": dumpCase(["set", "k", "hello"]),
  "DUMP of binary bytes": dumpCase(["set", "k", "\x00\x01\xff\r\n"]),
  "DUMP of a compressible string (LZF)": dumpCase([
    "set",
    "k",
    "a".repeat(100),
  ]),
  "DUMP of a 21-byte compressible string": dumpCase([
    "set",
    "k",
    "b".repeat(21),
  ]),
  "DUMP of a 20-byte string is never compressed": dumpCase([
    "set",
    "k",
    "b".repeat(20),
  ]),
  "DUMP of an incompressible long string": dumpCase([
    "set",
    "k",
    range(60, (i) => String.fromCharCode((i * 37) % 256)).join(""),
  ]),
  "DUMP of a long text string": dumpCase([
    "set",
    "k",
    range(300, (i) => `word${i % 17} `).join(""),
  ]),
  "DUMP of an APPENDed string": dumpCase(["set", "k", "abc"], [
    "append",
    "k",
    "def".repeat(10),
  ]),
  "DUMP of a SETBIT string": dumpCase(["setbit", "k", "100", "1"]),
  "DUMP of an INCR counter": dumpCase(["incr", "k"], ["incrby", "k", "100000"]),
  "DUMP of a small list": dumpCase(["rpush", "k", "a", "b", "c", "1", "2"]),
  "DUMP of a list of integers of every width": dumpCase([
    "rpush",
    "k",
    "0",
    "127",
    "128",
    "-1",
    "-4096",
    "4095",
    "4096",
    "32768",
    "-8388609",
    "2147483648",
    "-9223372036854775808",
    "9223372036854775808",
    "01",
  ]),
  "DUMP of a 1000-element list (two LZF nodes)": dumpCase([
    "rpush",
    "k",
    ...ELEMENTS,
  ]),
  "DUMP of a 1000-element list without compression": {
    steps: [
      ["config", "set", "rdbcompression", "no"],
      ...dumpCase(["rpush", "k", ...ELEMENTS]),
      ["config", "set", "rdbcompression", "yes"],
    ],
  }.steps,
  "DUMP of a small LPUSHed list": dumpCase(["lpush", "k", "a", "b", "c"]),
  "DUMP of a list with elements of 5000 bytes": dumpCase([
    "rpush",
    "k",
    "x".repeat(5000),
    "y".repeat(5000),
    "z",
    "w".repeat(9000),
  ]),
  "DUMP of 3000 numbers": dumpCase([
    "rpush",
    "k",
    ...range(3000, (i) => String(i * 37)),
  ]),
  "DUMP of a list under list-max-listpack-size 5": [
    ["config", "set", "list-max-listpack-size", "5"],
    ...dumpCase(["rpush", "k", ...range(23, (i) => `v${i}`)]),
    ["config", "set", "list-max-listpack-size", "-2"],
  ],
  "DUMP of a list under list-max-listpack-size -1 and -5": [
    ["config", "set", "list-max-listpack-size", "-1"],
    ["rpush", "k", ...ELEMENTS],
    ["dump", "k"],
    ["config", "set", "list-max-listpack-size", "-5"],
    [
      "rpush",
      "k2",
      ...ELEMENTS,
      ...ELEMENTS,
      ...ELEMENTS,
      ...ELEMENTS,
      ...ELEMENTS,
      ...ELEMENTS,
    ],
    ["dump", "k2"],
    ["config", "set", "list-max-listpack-size", "-2"],
  ],
  "DUMP of a list under list-max-listpack-size 0 (a node per element)": [
    ["config", "set", "list-max-listpack-size", "0"],
    ...dumpCase(["rpush", "k", "a", "b", "c"]),
    ["config", "set", "list-max-listpack-size", "-2"],
  ],
  "DUMP of a list with list-compress-depth 1 (middle nodes LZF in memory)": [
    ["config", "set", "list-compress-depth", "1"],
    ["config", "set", "list-max-listpack-size", "-1"],
    ...dumpCase([
      "rpush",
      "k",
      ...ELEMENTS,
      ...range(10, (i) => String.fromCharCode(65 + i).repeat(600)),
    ]),
    ["config", "set", "rdbcompression", "no"],
    ["dump", "k"],
    ["config", "set", "rdbcompression", "yes"],
    ["config", "set", "list-compress-depth", "0"],
    ["config", "set", "list-max-listpack-size", "-2"],
  ],
  "DUMP with DEBUG QUICKLIST-PACKED-THRESHOLD (plain nodes)": [
    ["debug", "quicklist-packed-threshold", "100"],
    ...dumpCase([
      "rpush",
      "k",
      "a",
      "x".repeat(100),
      "b",
      "c",
      "12345".repeat(30),
      "d",
      "y".repeat(99),
    ]),
    ["debug", "quicklist-packed-threshold", "1"],
    ["rpush", "k2", "12", "abc"],
    ["dump", "k2"],
    ["debug", "quicklist-packed-threshold", "0"],
  ],
  "DUMP of plain nodes compressed by list-compress-depth": [
    ["config", "set", "list-compress-depth", "1"],
    ["debug", "quicklist-packed-threshold", "100"],
    ...dumpCase([
      "rpush",
      "k",
      "a",
      "x".repeat(200),
      "b",
      "y".repeat(300),
      "c",
      "z".repeat(150),
      "d",
    ]),
    ["debug", "quicklist-packed-threshold", "0"],
    ["config", "set", "list-compress-depth", "0"],
  ],
  "DEBUG QUICKLIST-PACKED-THRESHOLD argument errors": [
    ["debug", "quicklist-packed-threshold", "abc"],
    ["debug", "quicklist-packed-threshold", "-1"],
    ["debug", "quicklist-packed-threshold", "5gb"],
    ["debug", "quicklist-packed-threshold", "4294967295"],
    ["debug", "quicklist-packed-threshold", "1k"],
    ["debug", "quicklist-packed-threshold", "2KB"],
    ["debug", "quicklist-packed-threshold", "1", "2"],
    ["debug", "quicklist-packed-threshold"],
    ["debug", "quicklist-packed-threshold", "0"],
  ],
  "DUMP of intsets of 16, 32 and 64 bits": [
    ["sadd", "k", "-5", "1", "2", "3", "100"],
    ["dump", "k"],
    ["sadd", "k32", "1", "70000", "-3"],
    ["dump", "k32"],
    ["sadd", "k64", "1", "9223372036854775807", "-9223372036854775808"],
    ["dump", "k64"],
    ["object", "encoding", "k64"],
  ],
  "DUMP of a one-member table set": dumpCase(["sadd", "k", "a"]),
  "DUMP of a table set (size only: order is arbitrary)": [
    ["sadd", "k", ...range(600, (i) => String(i))],
    { cmd: ["dump", "k"], ...lengthOnly },
    ["object", "encoding", "k"],
    ["sadd", "k2", "a", "b", "c", "dd", "1"],
    { cmd: ["dump", "k2"], ...lengthOnly },
  ],
  "DUMP of a listpack hash keeps insertion order": dumpCase([
    "hset",
    "k",
    "f1",
    "v1",
    "f2",
    "2",
    "f3",
    "",
    "-5",
    "100000",
  ]),
  "DUMP of a hash after HDEL and HSET": dumpCase(
    ["hset", "k", "a", "1", "b", "2", "c", "3"],
    ["hdel", "k", "b"],
    ["hset", "k", "d", "4", "a", "x"],
  ),
  "DUMP of a table hash (size only: order is arbitrary)": [
    ["hset", "k", "short", "x", "long", "y".repeat(65)],
    { cmd: ["dump", "k"], ...lengthOnly },
    ["object", "encoding", "k"],
    ["hset", "k2", ...range(600, (i) => [`field-${i}`, `value-${i}`]).flat()],
    { cmd: ["dump", "k2"], ...lengthOnly },
  ],
  "DUMP of a listpack sorted set": dumpCase([
    "zadd",
    "k",
    "1",
    "a",
    "2.5",
    "b",
    "-3",
    "c",
    "inf",
    "inf",
    "-inf",
    "ninf",
  ]),
  "DUMP of sorted set scores: integers to 2^62, %.17g text beyond": dumpCase([
    "zadd",
    "k",
    "-0",
    "a",
    "1e17",
    "b",
    "0.1",
    "c",
    "4611686018427387904",
    "d",
    "4611686018427387905",
    "d2",
    "1e-300",
    "f",
    "123456789012345678",
    "g",
    "-4611686018427387904",
    "h",
    "1e19",
    "i",
    "3.0",
    "j",
    "12",
    "13",
  ]),
  "DUMP of a skiplist sorted set (highest score first, binary doubles)":
    dumpCase([
      "zadd",
      "k",
      ...range(
        200,
        (i) => [String(i * 1.5), `member-${String(i).padStart(3, "0")}`],
      ).flat(),
    ]),
  "DUMP of a skiplist sorted set with a long member": dumpCase([
    "zadd",
    "k",
    "1",
    "a",
    "2",
    "m".repeat(65),
    "-0",
    "z",
    "0.3",
    "q",
  ]),
  "DUMP of a stream": dumpCase(
    ["xadd", "k", "1-1", "f", "v"],
    ["xadd", "k", "1-2", "f", "v2", "g", "x"],
    ["xadd", "k", "5-0", "other", "1"],
    ["xdel", "k", "1-2"],
  ),
  "DUMP of an empty stream": dumpCase(["xadd", "k", "1-1", "f", "v"], [
    "xdel",
    "k",
    "1-1",
  ]),
};

const restoreCases: Record<string, Script> = {
  "RESTORE of a string": [
    ["restore", "k", "0", recorded(REDIS.string)],
    ["get", "k"],
    ["ttl", "k"],
    ["object", "encoding", "k"],
  ],
  "RESTORE of an INT32 string": [
    ["restore", "k", "0", recorded(REDIS.int)],
    ["get", "k"],
    ["object", "encoding", "k"],
    ["dump", "k"],
  ],
  "RESTORE of an LZF string": [["restore", "k", "0", recorded(REDIS.lzf)], [
    "get",
    "k",
  ], ["strlen", "k"]],
  "RESTORE of lists": [
    ["restore", "k", "0", recorded(REDIS.list)],
    ["lrange", "k", "0", "-1"],
    ["restore", "k2", "0", recorded(REDIS.biglist)],
    ["llen", "k2"],
    ["lrange", "k2", "695", "-1"],
    ["dump", "k2"],
    ["restore", "k3", "0", recorded(REDIS.lpushlist)],
    ["llen", "k3"],
    ["lrange", "k3", "0", "2"],
    ["lindex", "k3", "500"],
    ["object", "encoding", "k3"],
  ],
  "RESTORE of sets": [
    ["restore", "k", "0", recorded(REDIS.intset)],
    ["smembers", "k"],
    ["object", "encoding", "k"],
    ["restore", "k2", "0", recorded(REDIS.set)],
    { cmd: ["smembers", "k2"], ...sorted },
    ["object", "encoding", "k2"],
    ["restore", "k3", "0", recorded(REDIS.bigset)],
    ["scard", "k3"],
  ],
  "RESTORE of hashes": [
    ["restore", "k", "0", recorded(REDIS.hash)],
    ["hgetall", "k"],
    ["object", "encoding", "k"],
    ["dump", "k"],
    ["restore", "k2", "0", recorded(REDIS.hashtable)],
    { cmd: ["hgetall", "k2"], ...sorted },
    ["object", "encoding", "k2"],
  ],
  "RESTORE of sorted sets": [
    ["restore", "k", "0", recorded(REDIS.zset)],
    ["zrange", "k", "0", "-1", "withscores"],
    ["object", "encoding", "k"],
    ["dump", "k"],
    ["restore", "k2", "0", recorded(REDIS.skiplist)],
    ["zrange", "k2", "0", "-1", "withscores"],
    ["object", "encoding", "k2"],
    ["restore", "k3", "0", recorded(REDIS.zset2)],
    ["zrange", "k3", "0", "-1", "withscores"],
  ],
  "RESTORE of a stream": [
    ["restore", "k", "0", recorded(REDIS.stream)],
    ["xrange", "k", "-", "+"],
    ["xlen", "k"],
    ["dump", "k"],
  ],
  "RESTORE of the legacy types (RDB 3, 4 and 8 payloads)": [
    ["restore", "zt", "0", recorded(LEGACY.zsetText)],
    ["zrange", "zt", "0", "-1", "withscores"],
    ["object", "encoding", "zt"],
    ["restore", "i16", "0", recorded(LEGACY.intset16)],
    ["smembers", "i16"],
    ["restore", "i64", "0", recorded(LEGACY.intset64)],
    ["smembers", "i64"],
    ["restore", "lz", "0", recorded(LEGACY.listZiplist)],
    ["lrange", "lz", "0", "-1"],
    ["dump", "lz"],
    ["restore", "ll", "0", recorded(LEGACY.listLinked)],
    ["lrange", "ll", "0", "-1"],
    ["restore", "st", "0", recorded(LEGACY.setTable)],
    { cmd: ["smembers", "st"], ...sorted },
    ["object", "encoding", "st"],
    ["restore", "hz", "0", recorded(LEGACY.hashZiplist)],
    ["hgetall", "hz"],
    ["object", "encoding", "hz"],
    ["restore", "zz", "0", recorded(LEGACY.zsetZiplist)],
    ["zrange", "zz", "0", "-1", "withscores"],
    ["restore", "ht", "0", recorded(LEGACY.hashTable)],
    { cmd: ["hgetall", "ht"], ...sorted },
    ["object", "encoding", "ht"],
    ["restore", "zm", "0", recorded(LEGACY.hashZipmap)],
    ["hgetall", "zm"],
    ["restore", "ql", "0", recorded(LEGACY.listQuicklist1)],
    ["lrange", "ql", "0", "-1"],
  ],
  "RESTORE converts encodings to the current limits": [
    ["config", "set", "hash-max-listpack-entries", "1"],
    ["config", "set", "set-max-intset-entries", "2"],
    ["config", "set", "zset-max-listpack-entries", "2"],
    ["restore", "h", "0", recorded(REDIS.hash)],
    ["object", "encoding", "h"],
    ["restore", "s", "0", recorded(REDIS.intset)],
    ["object", "encoding", "s"],
    ["restore", "z", "0", recorded(REDIS.zset)],
    ["object", "encoding", "z"],
    ["config", "set", "hash-max-listpack-entries", "512"],
    ["config", "set", "set-max-intset-entries", "512"],
    ["config", "set", "zset-max-listpack-entries", "128"],
    ["config", "set", "hash-max-listpack-value", "1"],
    ["restore", "h2", "0", recorded(REDIS.hash)],
    ["object", "encoding", "h2"],
    ["restore", "h3", "0", recorded(LEGACY.hashZipmap)],
    ["object", "encoding", "h3"],
    ["config", "set", "hash-max-listpack-value", "64"],
    ["restore", "z2", "0", recorded(REDIS.skiplist)],
    ["object", "encoding", "z2"],
    ["config", "set", "zset-max-listpack-value", "100"],
    ["restore", "z3", "0", recorded(REDIS.skiplist)],
    ["object", "encoding", "z3"],
    ["config", "set", "zset-max-listpack-value", "64"],
  ],
  "RESTORE onto an existing key: BUSYKEY, then REPLACE": [
    ["set", "k", "old"],
    ["restore", "k", "0", recorded(REDIS.string)],
    ["restore", "k", "0", recorded(REDIS.string), "replace"],
    ["get", "k"],
    ["restore", "k", "0", recorded(REDIS.list), "REPLACE"],
    ["type", "k"],
  ],
  "RESTORE with a TTL, ABSTTL, and one already past": [
    ["restore", "k", "100000", recorded(REDIS.string)],
    { cmd: ["pttl", "k"], ...ttlMask },
    ["restore", "k2", "4102444800000", recorded(REDIS.string), "absttl"],
    ["pexpiretime", "k2"],
    ["restore", "k3", "1000", recorded(REDIS.string), "absttl"],
    ["exists", "k3"],
    ["set", "k4", "x"],
    ["restore", "k4", "1", recorded(REDIS.string), "absttl", "replace"],
    ["exists", "k4"],
  ],
  "RESTORE IDLETIME and FREQ": [
    ["restore", "k", "0", recorded(REDIS.string), "idletime", "1000"],
    { cmd: ["object", "idletime", "k"], ...idleMask },
    ["restore", "k2", "0", recorded(REDIS.string), "IDLETIME", "0"],
    { cmd: ["object", "idletime", "k2"], ...idleMask },
    ["restore", "k3", "0", recorded(REDIS.string), "freq", "100"],
    ["config", "set", "maxmemory-policy", "allkeys-lfu"],
    ["restore", "k4", "0", recorded(REDIS.string), "freq", "100"],
    { cmd: ["object", "freq", "k4"], ...idleMask },
    ["restore", "k5", "0", recorded(REDIS.string), "freq", "0"],
    { cmd: ["object", "freq", "k5"], ...idleMask },
    ["restore", "k6", "0", recorded(REDIS.string), "idletime", "100"],
    ["config", "set", "maxmemory-policy", "noeviction"],
  ],
  "RESTORE argument errors": [
    ["restore", "k", "-1", recorded(REDIS.string)],
    ["restore", "k", "abc", recorded(REDIS.string)],
    ["restore", "k", "0", recorded(REDIS.string), "bogus"],
    ["restore", "k", "0", recorded(REDIS.string), "idletime"],
    ["restore", "k", "0", recorded(REDIS.string), "idletime", "-1"],
    ["restore", "k", "0", recorded(REDIS.string), "idletime", "x"],
    ["restore", "k", "0", recorded(REDIS.string), "freq", "256"],
    ["restore", "k", "0", recorded(REDIS.string), "freq", "-1"],
    ["restore", "k", "0", recorded(REDIS.string), "freq", "1.5"],
    ["restore", "k", "0", recorded(REDIS.string), "idletime", "5", "freq", "5"],
    ["restore", "k", "0", recorded(REDIS.string), "freq", "5", "idletime", "5"],
    ["restore", "k", "0"],
    [
      "restore",
      "k",
      "0",
      recorded(REDIS.string),
      "replace",
      "absttl",
      "replace",
    ],
    ["set", "busy", "1"],
    ["restore", "busy", "-1", recorded(REDIS.string)],
    ["restore", "busy", "0", "garbage", "freq", "300"],
    ["dump"],
    ["dump", "a", "b"],
    ["exists", "k"],
  ],
  "RESTORE refuses bad versions, checksums and data": [
    ["restore", "k", "0", ""],
    ["restore", "k", "0", "123456789"],
    ["restore", "k", "0", recorded(REDIS.string).slice(0, -1) + "x"],
    ["restore", "k", "0", payload("000568656c6c6f", 11)],
    ["restore", "k", "0", payload("000568656c6c6f", 9)],
    ["restore", "k", "0", payload("0005686c6c6f")],
    ["restore", "k", "0", payload("08")],
    ["restore", "k", "0", payload("ff")],
    ["restore", "k", "0", payload("06")],
    ["restore", "k", "0", payload("1200")],
    ["restore", "k", "0", payload("0200")],
    ["restore", "k", "0", payload("12010200")],
    ["restore", "k", "0", payload("120103020102")],
    ["restore", "k", "0", payload("0b0b0300000001000000ffffff")],
    ["restore", "k", "0", payload("0b080200000000000000")],
    ["restore", "k", "0", payload("0202016101" + "61")],
    [
      "restore",
      "k",
      "0",
      payload("05020161000000000000f87f01620000000000000000"),
    ],
    ["restore", "k", "0", payload("00c30306016161")],
    ["restore", "k", "0", payload("00c4")],
    ["restore", "k", "0", payload("008200000001")],
    ["exists", "k"],
    ["restore", "k", "0", payload("000568656c6c6f" + "ffff")],
    ["get", "k"],
  ],
  "DEBUG SET-SKIP-CHECKSUM-VALIDATION lets a wrong CRC through": [
    ["debug", "set-skip-checksum-validation", "1"],
    ["restore", "k", "0", recorded(REDIS.string).slice(0, -1) + "x"],
    ["get", "k"],
    ["restore", "k2", "0", payload("000568656c6c6f", 11)],
    ["debug", "set-skip-checksum-validation", "0"],
    ["restore", "k3", "0", recorded(REDIS.string).slice(0, -1) + "x"],
    ["debug", "set-skip-checksum-validation", "yes"],
    ["restore", "k4", "0", recorded(REDIS.string).slice(0, -1) + "x"],
    ["debug", "set-skip-checksum-validation"],
    ["exists", "k3", "k4"],
  ],
  "sanitize-dump-payload yes checks nested encodings deeply": [
    // A quicklist node whose listpack has a broken backlen.
    ["restore", "k", "0", payload("1201020a0a0000000100816105ff")],
    ["config", "set", "sanitize-dump-payload", "yes"],
    ["restore", "k2", "0", payload("1201020a0a0000000100816105ff")],
    ["restore", "k3", "0", payload("0b0c020000000200000005000300")],
    ["restore", "k3b", "0", payload("040201610162016101" + "63")],
    [
      "restore",
      "k4",
      "0",
      payload("1011110000000400816102010181610202" + "01ff"),
    ],
    ["restore", "k5", "0", recorded(REDIS.biglist)],
    ["llen", "k5"],
    ["config", "set", "sanitize-dump-payload", "clients"],
    ["restore", "k6", "0", payload("1201020a0a0000000100816105ff")],
    ["acl", "setuser", "default", "skip-sanitize-payload"],
    ["restore", "k8", "0", payload("1201020a0a0000000100816105ff")],
    ["acl", "setuser", "default", "sanitize-payload"],
    ["config", "set", "sanitize-dump-payload", "no"],
    ["restore", "k7", "0", payload("0b0c020000000200000005000300")],
    // (Reading k would crash redis-server: that is what deep checks are for.)
    ["exists", "k", "k2", "k3", "k3b", "k4", "k6", "k7", "k8"],
  ],
  "RESTORE notifies restore": [
    ["config", "set", "notify-keyspace-events", "KEA"],
    { cmd: ["psubscribe", "__key*__:*"], conn: 1 },
    ["restore", "k", "0", recorded(REDIS.string)],
    { readOnly: true, conn: 1 },
    { readOnly: true, conn: 1 },
    ["set", "k2", "1"],
    { readOnly: true, conn: 1 },
    { readOnly: true, conn: 1 },
    ["restore", "k2", "1", recorded(REDIS.string), "absttl", "replace"],
    { readOnly: true, conn: 1 },
    { readOnly: true, conn: 1 },
    ["config", "set", "notify-keyspace-events", ""],
  ],
  "RESTORE inside MULTI": [
    ["rpush", "l", ...ELEMENTS],
    ["multi"],
    ["restore", "k", "0", recorded(REDIS.zset)],
    ["zcard", "k"],
    ["exec"],
  ],
};

differential(import.meta.url, { ...dumpCases, ...restoreCases });

// Values of every type and encoding, made on a server by these commands.
const VALUES: Record<string, (string | number)[][]> = {
  string: [["set", "k", "hello"]],
  int: [["set", "k", "-70000"]],
  lzf: [["set", "k", "abcd".repeat(40)]],
  list: [["rpush", "k", "a", "1", "b", "-5", "c".repeat(70)]],
  bigList: [["rpush", "k", ...range(1200, (i) => `e${i}`)]],
  plainList: [["rpush", "k", "x".repeat(10000), "y"]],
  intset: [["sadd", "k", "1", "-70000", "5000000000"]],
  set: [["sadd", "k", "a", "b", "c", "1"]],
  bigSet: [["sadd", "k", ...range(600, (i) => String(i))]],
  hash: [["hset", "k", "f", "v", "n", "12", "e", ""]],
  bigHash: [["hset", "k", ...range(600, (i) => [`f${i}`, `v${i}`]).flat()]],
  zset: [["zadd", "k", "1.5", "a", "2", "b", "-inf", "c"]],
  bigZset: [[
    "zadd",
    "k",
    ...range(300, (i) => [String(i / 3), `m${i}`]).flat(),
  ]],
  stream: [
    ["xadd", "k", "1-1", "a", "1"],
    ["xadd", "k", "2-0", "a", "2", "b", "3"],
    ["xgroup", "create", "k", "g", "0"],
    ["xreadgroup", "group", "g", "alice", "count", "1", "streams", "k", ">"],
  ],
};

const TABLES = new Set(["set", "bigSet", "bigHash"]);

// What a client can see of `k`, the same whatever a hash table's order.
async function contents(c: RespClient): Promise<unknown> {
  const type = await c.call("type", "k");
  const read: Record<string, (string | number)[]> = {
    string: ["get", "k"],
    list: ["lrange", "k", "0", "-1"],
    set: ["smembers", "k"],
    hash: ["hgetall", "k"],
    zset: ["zrange", "k", "0", "-1", "withscores"],
    stream: ["xrange", "k", "-", "+"],
  };
  const reply = await c.call(...read[type as string]!);
  const sortedReply = type === "set" || type === "hash"
    ? (reply as string[]).slice().sort()
    : reply;
  return [type, await c.call("object", "encoding", "k"), sortedReply];
}

function fixCrc(bytes: string): string {
  const body = Uint8Array.from(bytes.slice(0, -8), (ch) => ch.charCodeAt(0));
  const crc = new Crc64().update(body).bytes();
  return bytes.slice(0, -8) + String.fromCharCode(...crc);
}

Deno.test({
  name:
    "RESTORE of corrupted payloads with sanitize-dump-payload yes never brings tsredis down",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using server = await spawnServer({ target: "tsredis" });
    const c = await server.connect();
    await c.call("config", "set", "sanitize-dump-payload", "yes");
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    let restored = 0;
    let refused = 0;
    for (const setup of Object.values(VALUES)) {
      await c.call("flushall");
      for (const cmd of setup) await c.call(...cmd);
      const good = await c.call("dump", "k") as string;
      for (let t = 0; t < 60; t++) {
        let bad = good.slice(0, -10);
        for (let n = 0; n <= rnd(3); n++) {
          const at = rnd(bad.length);
          bad = bad.slice(0, at) + String.fromCharCode(rnd(256)) +
            bad.slice(at + 1);
        }
        if (rnd(8) === 0) bad = bad.slice(0, rnd(bad.length) + 1);
        const payload = fixCrc(bad + good.slice(-10));
        const reply = await c.call("restore", "f", "0", payload, "replace");
        if (reply instanceof RespError) {
          assertEquals(reply.message, "ERR Bad data format");
          refused++;
        } else {
          assertEquals(reply, "OK");
          restored++;
          // Whatever was accepted must be usable.
          await c.call("rename", "f", "k2");
          await c.call("dump", "k2");
          await c.call("type", "k2");
          await c.call("debug", "digest-value", "k2");
          await c.call("del", "k2");
        }
        assertEquals(await c.call("ping"), "PONG");
      }
    }
    assert(
      refused > 0 && restored + refused === 60 * Object.keys(VALUES).length,
    );
    c.close();
  },
});

Deno.test({
  name: "DUMP payloads cross between tsredis and redis-server both ways",
  ignore: REDIS_SERVER === undefined,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using ours = await spawnServer({ target: "tsredis" });
    await using reference = await spawnServer({ target: "redis-server" });
    const a = await ours.connect();
    const b = await reference.connect();
    for (const [name, setup] of Object.entries(VALUES)) {
      for (const [from, to] of [[a, b], [b, a]] as const) {
        await from.call("flushall");
        await to.call("flushall");
        for (const cmd of setup) await from.call(...cmd);
        const payload = await from.call("dump", "k") as string;
        assertEquals(await to.call("restore", "k", "0", payload), "OK", name);
        assertEquals(await contents(to), await contents(from), name);
        // A hash table's order is the server's own.
        if (!TABLES.has(name)) {
          assertEquals(await to.call("dump", "k"), payload, name);
        }
      }
    }
    a.close();
    b.close();
  },
});
