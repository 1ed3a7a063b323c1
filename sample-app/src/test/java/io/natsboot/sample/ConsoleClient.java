package io.natsboot.sample;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Talks to a running sample over HTTP as a script or the console page does: the sample's
 * own endpoints, and the console's JSON API with its CSRF token.
 */
final class ConsoleClient {

	private static final JsonMapper json = JsonMapper.builder().build();

	// a browser's cookie jar: the console's CSRF token is bound to a cookie
	private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

	private final int port;

	ConsoleClient(int port) {
		this.port = port;
	}

	/** GETs a console view. */
	JsonNode view(String path) throws Exception {
		HttpResponse<String> answer = get("/natsboot/api/" + path);
		if (answer.statusCode() != 200) {
			throw new IllegalStateException("GET " + path + " answered " + answer.statusCode() + ": " + answer.body());
		}
		return json.readTree(answer.body());
	}

	HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
	}

	/** POSTs a console action with the page's CSRF token. */
	HttpResponse<String> act(String path) throws Exception {
		JsonNode csrf = view("session").get("csrf");
		return post("/natsboot/api/" + path, Map.of(csrf.get("header").asString(), csrf.get("token").asString()), "");
	}

	/** POSTs a console action without the token, as a foreign page would. */
	HttpResponse<String> actWithoutToken(String path) throws Exception {
		return post("/natsboot/api/" + path, Map.of(), "");
	}

	HttpResponse<String> post(String path, Map<String, String> headers, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body));
		headers.forEach(request::header);
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> put(String path, String contentType, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", contentType)
			.PUT(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	static JsonNode parse(String body) {
		return json.readTree(body);
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
