package io.natsboot.core;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.BeanExpressionContext;
import org.springframework.beans.factory.config.BeanExpressionResolver;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.StringUtils;

/**
 * Resolves the string attributes of natsboot's annotations ({@code @NatsListener},
 * {@code @TaskHandler}): {@code ${...}} placeholders, optionally {@code #{...}}
 * expressions, and the parsing of numbers and durations, with messages that name the
 * attribute. An empty value means "not set" (null).
 */
public final class AnnotationValueResolver {

	private final @Nullable ConfigurableListableBeanFactory beanFactory;

	private final @Nullable BeanExpressionResolver expressionResolver;

	private final @Nullable BeanExpressionContext expressionContext;

	/**
	 * Creates a resolver.
	 * @param beanFactory resolves placeholders, or null to take values as they are
	 * @param evaluateExpressions whether {@code #{...}} expressions are evaluated too
	 */
	public AnnotationValueResolver(@Nullable ConfigurableListableBeanFactory beanFactory, boolean evaluateExpressions) {
		this.beanFactory = beanFactory;
		this.expressionResolver = (beanFactory != null && evaluateExpressions) ? beanFactory.getBeanExpressionResolver()
				: null;
		this.expressionContext = (this.expressionResolver != null) ? new BeanExpressionContext(beanFactory, null)
				: null;
	}

	/**
	 * Resolves placeholders (and expressions) in a value.
	 * @param value the attribute's value
	 * @return the resolved value, empty when it resolved to nothing
	 */
	public String resolve(String value) {
		if (this.beanFactory == null || !StringUtils.hasText(value)) {
			return value;
		}
		String resolved = this.beanFactory.resolveEmbeddedValue(value);
		if (resolved != null && this.expressionResolver != null && this.expressionContext != null) {
			Object evaluated = this.expressionResolver.evaluate(resolved, this.expressionContext);
			return (evaluated != null) ? evaluated.toString() : "";
		}
		return (resolved != null) ? resolved : "";
	}

	/**
	 * Resolves a whole number.
	 * @param value the attribute's value
	 * @param attribute the attribute's name, for the message
	 * @return the number, or null when not set
	 * @throws IllegalArgumentException naming the attribute when it is not a whole number
	 */
	public @Nullable Integer integer(String value, String attribute) {
		String resolved = resolve(value);
		if (!StringUtils.hasText(resolved)) {
			return null;
		}
		try {
			return Integer.valueOf(resolved.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(attribute + " '" + resolved + "' is not a whole number", ex);
		}
	}

	/**
	 * Resolves a decimal number.
	 * @param value the attribute's value
	 * @param attribute the attribute's name, for the message
	 * @return the number, or null when not set
	 * @throws IllegalArgumentException naming the attribute when it is not a number
	 */
	public @Nullable Double decimal(String value, String attribute) {
		String resolved = resolve(value);
		if (!StringUtils.hasText(resolved)) {
			return null;
		}
		try {
			return Double.valueOf(resolved.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(attribute + " '" + resolved + "' is not a number", ex);
		}
	}

	/**
	 * Resolves a duration such as {@code 30s}.
	 * @param value the attribute's value
	 * @param attribute the attribute's name, for the message
	 * @return the duration, or null when not set
	 * @throws IllegalArgumentException naming the attribute when it is not a duration
	 */
	public @Nullable Duration duration(String value, String attribute) {
		String resolved = resolve(value);
		return StringUtils.hasText(resolved) ? parseDuration(resolved, attribute) : null;
	}

	/**
	 * Parses a duration such as {@code 30s} or {@code 500ms}.
	 * @param text the text, resolved already
	 * @param attribute the attribute's name, for the message
	 * @return the duration
	 * @throws IllegalArgumentException naming the attribute when it is not a duration
	 */
	public static Duration parseDuration(String text, String attribute) {
		try {
			return DurationStyle.detectAndParse(text.trim());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					attribute + " '" + text.trim() + "' is not a duration such as 30s or 500ms", ex);
		}
	}

}
