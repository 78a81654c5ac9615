from django.contrib import admin

from guwen.knowledge.models import AnsweredQuestion, Article, Category, CategoryVersion, Law, TriageCorrection


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0


@admin.register(CategoryVersion)
class CategoryVersionAdmin(admin.ModelAdmin):
    list_display = ["number", "effective_from", "note"]
    inlines = [CategoryInline]


@admin.register(Law)
class LawAdmin(admin.ModelAdmin):
    list_display = ["title", "short_title", "effective_date", "version_date", "is_current", "article_count"]
    readonly_fields = ["code", "title", "version_date", "effective_date", "article_count", "source_file"]
    search_fields = ["title", "aliases"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "chapter"]
    list_filter = ["law"]
    list_select_related = ["law"]
    readonly_fields = ["law", "number", "label", "part", "chapter", "section", "text"]
    search_fields = ["text"]


@admin.register(AnsweredQuestion)
class AnsweredQuestionAdmin(admin.ModelAdmin):
    # Entries come in through knowledge_add_answered (anonymised); the admin only reads and deletes.
    list_display = ["__str__", "category", "source_ref", "created_at"]
    list_filter = ["category", "is_demo"]
    readonly_fields = ["question", "answer", "category", "source_ref", "created_by", "created_at", "is_demo"]

    def has_add_permission(self, request):
        return False


@admin.register(TriageCorrection)
class TriageCorrectionAdmin(admin.ModelAdmin):
    list_display = ["text_ref", "predicted", "corrected", "model_version", "created_at"]
    list_filter = ["corrected"]
    readonly_fields = [
        "text_ref",
        "text",
        "predicted",
        "corrected",
        "model_version",
        "created_by",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False
