package io.natsboot.test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Finds server executables: an explicit environment variable or system property first,
 * then the {@code PATH}, then the usual system directories (Debian installs
 * {@code nats-server} in {@code /usr/sbin}, which is not on every user's {@code PATH}).
 */
final class ServerBinaries {

	private static final List<String> SYSTEM_DIRECTORIES = List.of("/usr/local/bin", "/usr/local/sbin", "/usr/bin",
			"/usr/sbin", "/opt/homebrew/bin");

	private ServerBinaries() {
	}

	/**
	 * Locates an executable.
	 * @param name the executable's file name, e.g. {@code nats-server}
	 * @param environmentVariable the variable (also read as a system property) that may
	 * name it
	 * @param installHint how to install it, appended to the error
	 * @return the executable
	 * @throws ServerBinaryNotFoundException when it is nowhere to be found
	 */
	static Path locate(String name, String environmentVariable, String installHint) {
		String explicit = explicitLocation(environmentVariable);
		if (explicit != null) {
			Path path = Path.of(explicit);
			if (!Files.isExecutable(path)) {
				throw new ServerBinaryNotFoundException(
						environmentVariable + "=" + explicit + " does not name an executable " + name);
			}
			return path;
		}
		for (String directory : searchDirectories()) {
			Path candidate = Path.of(directory, name);
			if (Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		throw new ServerBinaryNotFoundException(name + " was not found on PATH nor in " + SYSTEM_DIRECTORIES
				+ ". Install it (" + installHint + ") or set " + environmentVariable + " to its location.");
	}

	/**
	 * Whether an executable is named explicitly, so that a bad name is an error rather
	 * than a reason to fall back on something else.
	 * @param environmentVariable the variable (also read as a system property)
	 * @return true when it is set
	 */
	static boolean isNamedExplicitly(String environmentVariable) {
		return explicitLocation(environmentVariable) != null;
	}

	private static @Nullable String explicitLocation(String environmentVariable) {
		String value = System.getProperty(environmentVariable);
		if (value == null || value.isBlank()) {
			value = System.getenv(environmentVariable);
		}
		return (value == null || value.isBlank()) ? null : value.trim();
	}

	private static List<String> searchDirectories() {
		List<String> directories = new ArrayList<>();
		String path = System.getenv("PATH");
		if (path != null) {
			for (String entry : path.split(File.pathSeparator)) {
				if (!entry.isBlank()) {
					directories.add(entry);
				}
			}
		}
		directories.addAll(SYSTEM_DIRECTORIES);
		return directories;
	}

}
