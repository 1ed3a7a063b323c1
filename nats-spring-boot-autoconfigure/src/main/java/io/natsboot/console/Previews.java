package io.natsboot.console;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Short, safe previews of payloads for the console: text as text (cut), anything else as
 * its size only.
 */
final class Previews {

	static final int MAX_CHARS = 300;

	private Previews() {
	}

	static String of(byte[] payload) {
		if (payload.length == 0) {
			return "";
		}
		String text;
		try {
			text = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(payload, 0, Math.min(payload.length, MAX_CHARS * 4)))
				.toString();
		}
		catch (CharacterCodingException ex) {
			// also text cut inside a character: decode leniently what is whole
			text = (payload.length > MAX_CHARS * 4) ? new String(payload, 0, MAX_CHARS * 4, StandardCharsets.UTF_8)
					: null;
			if (text == null) {
				return "(binary, " + payload.length + " bytes)";
			}
		}
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
				return "(binary, " + payload.length + " bytes)";
			}
		}
		return (text.length() > MAX_CHARS) ? text.substring(0, MAX_CHARS) + "…" : text;
	}

}
