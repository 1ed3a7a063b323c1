package io.natsboot.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The {@code curl} commands of the README's quick start, each with the answer the README
 * promises, read from the README itself so that the sample's tests run exactly what a
 * newcomer types.
 * <p>
 * In the README's {@code bash} blocks of the "Quick start" section, a command is a line
 * starting with {@code curl} (continued by lines after a trailing backslash, trailing
 * {@code #} comment removed), and its answer the {@code # → } line after it; in an answer
 * {@code …} stands for any text.
 */
final class QuickStartCommands {

	private static final String ANSWER_MARK = "# → ";

	private QuickStartCommands() {
	}

	/**
	 * Reads the quick start's commands.
	 * @param readme the README
	 * @return the commands in README order
	 * @throws IOException when the README cannot be read
	 */
	static List<Command> read(Path readme) throws IOException {
		String text = Files.readString(readme);
		int start = text.indexOf("\n## Quick start");
		int end = text.indexOf("\n## ", start + 1);
		List<Command> commands = new ArrayList<>();
		boolean inBash = false;
		StringBuilder pending = null;
		Command last = null;
		for (String line : text.substring(start, end).split("\n")) {
			if (line.startsWith("```")) {
				inBash = !inBash && line.equals("```bash");
				continue;
			}
			if (!inBash) {
				continue;
			}
			if (pending != null) {
				pending.append(' ').append(withoutComment(line).trim());
				if (!pending.toString().endsWith("\\")) {
					last = new Command(pending.toString().trim(), null);
					commands.add(last);
					pending = null;
				}
				else {
					pending.setLength(pending.length() - 1);
				}
			}
			else if (line.startsWith("curl ")) {
				String command = withoutComment(line).trim();
				if (command.endsWith("\\")) {
					pending = new StringBuilder(command.substring(0, command.length() - 1).trim());
				}
				else {
					last = new Command(command, null);
					commands.add(last);
				}
			}
			else if (line.startsWith(ANSWER_MARK) && last != null) {
				commands.set(commands.size() - 1, new Command(last.line(), line.substring(ANSWER_MARK.length())));
				last = null;
			}
		}
		return commands;
	}

	private static String withoutComment(String line) {
		// a comment starts at the first " #" outside quotes
		boolean single = false;
		boolean dbl = false;
		for (int i = 0; i < line.length(); i++) {
			char c = line.charAt(i);
			if (c == '\'' && !dbl) {
				single = !single;
			}
			else if (c == '"' && !single) {
				dbl = !dbl;
			}
			else if (c == '#' && !single && !dbl && i > 0 && line.charAt(i - 1) == ' ') {
				return line.substring(0, i);
			}
		}
		return line;
	}

	/**
	 * A command and the answer the README promises.
	 *
	 * @param line the command as the README shows it, on one line
	 * @param answer the promised answer with {@code …} for any text, or null when the
	 * README promises none
	 */
	record Command(String line, String answer) {

		/**
		 * Runs the command as a shell would, against a sample on another port.
		 * @param port the sample's HTTP port, in place of the README's 8080
		 * @return what the command printed
		 * @throws Exception when the command cannot be run
		 */
		String run(int port) throws Exception {
			// stderr (curl's progress meter) is not part of the answer
			Process process = new ProcessBuilder("bash", "-c", this.line.replace("localhost:8080", "localhost:" + port))
				.redirectError(ProcessBuilder.Redirect.DISCARD)
				.start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
			return output;
		}

		/**
		 * Whether the command changes something, so that it must run once only.
		 * @return whether it sends a method other than GET or a body
		 */
		boolean changes() {
			return this.line.contains(" -X ") || this.line.contains(" -d ");
		}

		/**
		 * Whether an output is the promised answer.
		 * @param output what the command printed
		 * @return whether it matches the answer, {@code …} standing for any text
		 */
		boolean answered(String output) {
			String[] parts = this.answer.split("…", -1);
			StringBuilder regex = new StringBuilder();
			for (int i = 0; i < parts.length; i++) {
				regex.append((i > 0) ? ".*" : "").append(Pattern.quote(parts[i]));
			}
			return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(output).matches();
		}

	}

}
