package io.natsboot.annotation;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.natsboot.core.AnnotationValueResolver;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.Ordered;

/**
 * Base of the post-processors that turn annotated bean methods into endpoints
 * ({@link NatsListenerAnnotationBeanPostProcessor},
 * {@link TaskHandlerAnnotationBeanPostProcessor}): finds the annotated methods of each
 * bean once per class (remembering classes without any), in the same order at every start
 * (by name, then parameter types), picks the method to call on the bean (its proxy, if
 * any), and resolves {@code ${...}} placeholders (and, where the subclass allows,
 * {@code #{...}} expressions) in attribute values. Subclasses say which annotations a
 * method has and what an annotated method becomes.
 *
 * @param <A> the annotation
 */
public abstract class AbstractNatsAnnotationBeanPostProcessor<A extends Annotation>
		implements BeanPostProcessor, SmartInitializingSingleton, BeanFactoryAware, Ordered {

	/** Methods by name, then by parameter types. */
	private static final Comparator<Method> METHOD_ORDER = Comparator.comparing(Method::getName)
		.thenComparing((method) -> Arrays.stream(method.getParameterTypes())
			.map(Class::getTypeName)
			.collect(Collectors.joining(",")));

	private final Class<A> annotationType;

	private final boolean expressions;

	private final Set<Class<?>> classesWithoutAnnotations = ConcurrentHashMap.newKeySet();

	private @Nullable ConfigurableListableBeanFactory beanFactory;

	private AnnotationValueResolver values = new AnnotationValueResolver(null, false);

	/**
	 * Creates a post-processor.
	 * @param annotationType the annotation, for messages
	 * @param expressions whether attribute values may hold {@code #{...}} expressions
	 */
	protected AbstractNatsAnnotationBeanPostProcessor(Class<A> annotationType, boolean expressions) {
		this.annotationType = annotationType;
		this.expressions = expressions;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		if (beanFactory instanceof ConfigurableListableBeanFactory listable) {
			this.beanFactory = listable;
			this.values = new AnnotationValueResolver(listable, this.expressions);
		}
	}

	@Override
	public int getOrder() {
		return LOWEST_PRECEDENCE;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.classesWithoutAnnotations.contains(targetClass)) {
			return bean;
		}
		Map<Method, Set<A>> annotated = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<Set<A>>) (method) -> {
					Set<A> annotations = findAnnotations(method);
					return annotations.isEmpty() ? null : annotations;
				});
		if (annotated.isEmpty()) {
			this.classesWithoutAnnotations.add(targetClass);
			return bean;
		}
		// in an order of their own (the JVM lists methods in none): default ids of
		// overloads must be the same at every start
		annotated.entrySet().stream().sorted(Map.Entry.comparingByKey(METHOD_ORDER)).forEach((entry) -> {
			Method invocable = AopUtils.selectInvocableMethod(entry.getKey(), bean.getClass());
			entry.getValue().forEach((annotation) -> processAnnotation(annotation, invocable, bean, beanName));
		});
		return bean;
	}

	/**
	 * The annotations of a method, merged with meta-annotations.
	 * @param method a method of a bean's class
	 * @return the annotations, empty for none
	 */
	protected abstract Set<A> findAnnotations(Method method);

	/**
	 * Turns one annotation of a method into an endpoint, or keeps it for
	 * {@link #afterSingletonsInstantiated()}.
	 * @param annotation the annotation
	 * @param method the method to call on the bean
	 * @param bean the bean
	 * @param beanName the bean's name
	 */
	protected abstract void processAnnotation(A annotation, Method method, Object bean, String beanName);

	/**
	 * Names the method and bean in messages, e.g.
	 * {@code @NatsListener method 'on' of bean 'orders'}.
	 * @param method the method
	 * @param beanName the bean's name
	 * @return the description
	 */
	protected String describe(Method method, String beanName) {
		return "@" + this.annotationType.getSimpleName() + " method '" + method.getName() + "' of bean '" + beanName
				+ "'";
	}

	/**
	 * Resolves placeholders (and expressions, where allowed) in an attribute value.
	 * @param value the value
	 * @return the resolved value
	 */
	protected String resolve(String value) {
		return this.values.resolve(value);
	}

	/**
	 * Resolves a whole-number attribute.
	 * @param value the value
	 * @param attribute the attribute's name, for messages
	 * @return the number, or null when the value is empty
	 */
	protected @Nullable Integer integer(String value, String attribute) {
		return this.values.integer(value, attribute);
	}

	/**
	 * Resolves a decimal attribute.
	 * @param value the value
	 * @param attribute the attribute's name, for messages
	 * @return the number, or null when the value is empty
	 */
	protected @Nullable Double decimal(String value, String attribute) {
		return this.values.decimal(value, attribute);
	}

	/**
	 * Resolves a duration attribute ({@code 500ms}, {@code 10s}, ISO-8601).
	 * @param value the value
	 * @param attribute the attribute's name, for messages
	 * @return the duration, or null when the value is empty
	 */
	protected @Nullable Duration duration(String value, String attribute) {
		return this.values.duration(value, attribute);
	}

	/**
	 * The bean factory, once set.
	 * @return the factory, or null outside a {@link ConfigurableListableBeanFactory}
	 */
	protected @Nullable ConfigurableListableBeanFactory getBeanFactory() {
		return this.beanFactory;
	}

	/**
	 * The bean factory, which the subclass needs.
	 * @return the factory
	 * @throws IllegalStateException when none is set
	 */
	protected ConfigurableListableBeanFactory requiredBeanFactory() {
		if (this.beanFactory == null) {
			throw new IllegalStateException(getClass().getSimpleName() + " needs a bean factory");
		}
		return this.beanFactory;
	}

}
