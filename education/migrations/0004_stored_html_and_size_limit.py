"""Each Markdown text is limited to markup.MAX_LENGTH characters, and every version
stores its texts as HTML (made here for the versions already there), so reading a
page never runs Markdown."""

import django.core.validators
from django.db import migrations, models


def render_existing(apps, schema_editor):
    from education import markup

    TopicVersion = apps.get_model("education", "TopicVersion")
    fields = ["summary", "fundamentals", "intermediate", "academic", "what_helps", "when_to_talk"]
    for version in TopicVersion.objects.all():
        version.rendered = markup.render({field: getattr(version, field) for field in fields})
        version.save(update_fields=["rendered"])


class Migration(migrations.Migration):

    dependencies = [
        ('education', '0003_own_explanation_on_first_report'),
    ]

    operations = [
        migrations.AddField(
            model_name='topicversion',
            name='rendered',
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.AlterField(
            model_name='topicversion',
            name='academic',
            field=models.TextField(help_text='Markdown, for clinicians and keen readers.', validators=[django.core.validators.MaxLengthValidator(20000, message='This has %(show_value)d characters, more than the %(limit_value)d that fit here. Please shorten it, or move some of it to another section: your text is still here.')]),
        ),
        migrations.AlterField(
            model_name='topicversion',
            name='fundamentals',
            field=models.TextField(help_text='Markdown. About an 8th-grade reading level.', validators=[django.core.validators.MaxLengthValidator(20000, message='This has %(show_value)d characters, more than the %(limit_value)d that fit here. Please shorten it, or move some of it to another section: your text is still here.')]),
        ),
        migrations.AlterField(
            model_name='topicversion',
            name='intermediate',
            field=models.TextField(help_text='Markdown.', validators=[django.core.validators.MaxLengthValidator(20000, message='This has %(show_value)d characters, more than the %(limit_value)d that fit here. Please shorten it, or move some of it to another section: your text is still here.')]),
        ),
        migrations.AlterField(
            model_name='topicversion',
            name='summary',
            field=models.TextField(help_text='Two or three plain sentences, shown beside a symptom right after it is logged.', validators=[django.core.validators.MaxLengthValidator(20000, message='This has %(show_value)d characters, more than the %(limit_value)d that fit here. Please shorten it, or move some of it to another section: your text is still here.')]),
        ),
        migrations.AlterField(
            model_name='topicversion',
            name='what_helps',
            field=models.TextField(help_text='Markdown.', validators=[django.core.validators.MaxLengthValidator(20000, message='This has %(show_value)d characters, more than the %(limit_value)d that fit here. Please shorten it, or move some of it to another section: your text is still here.')], verbose_name='what can help'),
        ),
        migrations.AlterField(
            model_name='topicversion',
            name='when_to_talk',
            field=models.TextField(help_text='Markdown.', validators=[django.core.validators.MaxLengthValidator(20000, message='This has %(show_value)d characters, more than the %(limit_value)d that fit here. Please shorten it, or move some of it to another section: your text is still here.')], verbose_name='when to talk to your care team'),
        ),
        migrations.RunPython(render_existing, migrations.RunPython.noop),
    ]
