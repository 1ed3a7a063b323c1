package io.natsboot.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.nats.client.NKey;
import io.nats.client.support.JsonSerializable;
import io.nats.client.support.JwtUtils;

/**
 * An operator, an account and a user, freshly minted for a test: the server configuration
 * that trusts them (operator mode, memory resolver) and the user's {@code .creds} file.
 */
final class DecentralizedAuthFixture {

	final String serverConfig;

	final Path credentialsFile;

	private final NKey account;

	private DecentralizedAuthFixture(String serverConfig, Path credentialsFile, NKey account) {
		this.serverConfig = serverConfig;
		this.credentialsFile = credentialsFile;
		this.account = account;
	}

	/**
	 * Writes the credentials of a new user of the same account.
	 * @param file where to write them
	 * @return the new user's public key
	 */
	String writeNewUserCredentials(Path file) throws Exception {
		NKey user = NKey.createUser(null);
		writeCredentials(file, this.account, user);
		return new String(user.getPublicKey());
	}

	private static void writeCredentials(Path file, NKey account, NKey user) throws Exception {
		String userJwt = JwtUtils.issueUserJWT(account, new String(account.getPublicKey()),
				new String(user.getPublicKey()), "test-user");
		Files.writeString(file, String.format(JwtUtils.NATS_USER_JWT_FORMAT, userJwt, new String(user.getSeed())),
				StandardCharsets.UTF_8);
	}

	static DecentralizedAuthFixture create(Path directory) throws Exception {
		NKey operator = NKey.createOperator(null);
		NKey account = NKey.createAccount(null);
		NKey user = NKey.createUser(null);
		String operatorPublic = new String(operator.getPublicKey());
		String accountPublic = new String(account.getPublicKey());
		long now = JwtUtils.currentTimeSeconds();
		String operatorJwt = JwtUtils.issueJWT(operator, operatorPublic, "test-operator", Duration.ZERO, now,
				operatorPublic, claim("{\"type\":\"operator\",\"version\":2}"));
		String accountJwt = JwtUtils.issueJWT(operator, accountPublic, "test-account", Duration.ZERO, now,
				operatorPublic, claim("{\"type\":\"account\",\"version\":2,\"limits\":{\"subs\":-1,\"conn\":-1,"
						+ "\"leaf\":-1,\"imports\":-1,\"exports\":-1,\"data\":-1,\"payload\":-1,\"wildcards\":true}}"));
		Path credentials = directory.resolve("user.creds");
		writeCredentials(credentials, account, user);
		String config = "operator: " + operatorJwt + "\nresolver: MEMORY\nresolver_preload: {\n  " + accountPublic
				+ ": " + accountJwt + "\n}\n";
		return new DecentralizedAuthFixture(config, credentials, account);
	}

	private static JsonSerializable claim(String json) {
		return () -> json;
	}

}
